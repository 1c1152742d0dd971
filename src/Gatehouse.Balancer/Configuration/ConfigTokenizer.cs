using System.Globalization;
using System.Text;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Splits configuration lines into words with HAProxy's quoting rules. Backslash escapes a space, '#',
/// quote, '$' or backslash (and \n, \r, \t, \xHH) outside single quotes. Double quotes keep spaces and
/// expand $NAME, ${NAME} and ${NAME-default}. Single quotes keep everything literally. An unquoted,
/// unescaped '#' starts a comment.
/// </summary>
internal sealed class ConfigTokenizer
{
    private readonly IReadOnlyDictionary<string, string>? _variables;

    /// <param name="variables">Values for $NAME; when null the process environment is read instead.</param>
    public ConfigTokenizer(IReadOnlyDictionary<string, string>? variables)
    {
        _variables = variables;
    }

    /// <summary>Returns the non-empty lines of <paramref name="text"/>; problems go to <paramref name="errors"/>.</summary>
    public List<ConfigLine> Tokenize(string text, string fileName, ConfigErrors errors)
    {
        var lines = new List<ConfigLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var location = new ConfigLocation(fileName, number);
            var words = SplitLine(raw.TrimEnd('\r'), location, errors);
            if (words is { Count: > 0 })
            {
                lines.Add(new ConfigLine(location, words));
            }
        }

        return lines;
    }

    private List<ConfigWord>? SplitLine(string line, ConfigLocation location, ConfigErrors errors)
    {
        var words = new List<ConfigWord>();
        var current = new StringBuilder();
        var inWord = false;
        var quoted = false;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                EndWord();
                i++;
            }
            else if (c == '#')
            {
                break;
            }
            else if (c == '\\')
            {
                if (!TryReadEscape(line, ref i, current, location, errors))
                {
                    return null;
                }

                inWord = true;
            }
            else if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    errors.Add(location, "unterminated single quote; close it with '");
                    return null;
                }

                current.Append(line, i + 1, end - i - 1);
                i = end + 1;
                inWord = quoted = true;
            }
            else if (c == '"')
            {
                if (!TryReadDoubleQuoted(line, ref i, current, location, errors))
                {
                    return null;
                }

                inWord = quoted = true;
            }
            else
            {
                current.Append(c);
                inWord = true;
                i++;
            }
        }

        EndWord();
        return words;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(new ConfigWord(current.ToString(), quoted));
            }

            current.Clear();
            inWord = quoted = false;
        }
    }

    private bool TryReadDoubleQuoted(string line, ref int i, StringBuilder current, ConfigLocation location, ConfigErrors errors)
    {
        i++;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '"')
            {
                i++;
                return true;
            }

            if (c == '\\')
            {
                if (!TryReadEscape(line, ref i, current, location, errors))
                {
                    return false;
                }
            }
            else if (c == '$' && i + 1 < line.Length && IsVariableStart(line[i + 1]))
            {
                if (!TryExpandVariable(line, ref i, current, location, errors))
                {
                    return false;
                }
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        errors.Add(location, "unterminated double quote; close it with \"");
        return false;
    }

    private static bool TryReadEscape(string line, ref int i, StringBuilder current, ConfigLocation location, ConfigErrors errors)
    {
        if (i + 1 >= line.Length)
        {
            errors.Add(location, "backslash at end of line; line continuation is not supported, write \\\\ for a backslash");
            return false;
        }

        var next = line[i + 1];
        i += 2;
        switch (next)
        {
            case 'n':
                current.Append('\n');
                return true;
            case 'r':
                current.Append('\r');
                return true;
            case 't':
                current.Append('\t');
                return true;
            case 'x':
                if (i + 2 <= line.Length
                    && byte.TryParse(line.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    current.Append((char)b);
                    i += 2;
                    return true;
                }

                errors.Add(location, "'\\x' escape expects two hex digits, such as \\x41");
                return false;
            case ' ' or '\\' or '#' or '"' or '\'' or '$':
                current.Append(next);
                return true;
            default:
                // HAProxy keeps other escapes as written, so regex escapes such as \? and back-references such as \1 survive.
                current.Append('\\').Append(next);
                return true;
        }
    }

    private bool TryExpandVariable(string line, ref int i, StringBuilder current, ConfigLocation location, ConfigErrors errors)
    {
        // i is at '$'.
        string name;
        string? fallback = null;
        if (line[i + 1] == '{')
        {
            var close = line.IndexOf('}', i + 2);
            if (close < 0)
            {
                errors.Add(location, "unterminated '${' in variable reference; close it with }");
                return false;
            }

            var body = line.AsSpan(i + 2, close - i - 2);
            var dash = body.IndexOf('-');
            name = (dash < 0 ? body : body[..dash]).ToString();
            fallback = dash < 0 ? null : body[(dash + 1)..].ToString();
            i = close + 1;
            if (!IsValidName(name))
            {
                errors.Add(location, $"invalid variable name '{name}' in '${{{body}}}'; names use letters, digits and _ and do not start with a digit");
                return false;
            }
        }
        else
        {
            var start = i + 1;
            var end = start;
            while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_'))
            {
                end++;
            }

            name = line[start..end];
            i = end;
        }

        var value = Lookup(name) ?? fallback;
        if (value is null)
        {
            errors.Add(location, $"variable '{name}' is not set; set it or give a default with \"${{{name}-value}}\"");
            return false;
        }

        current.Append(value);
        return true;
    }

    private string? Lookup(string name) =>
        _variables is null
            ? Environment.GetEnvironmentVariable(name)
            : _variables.GetValueOrDefault(name);

    private static bool IsVariableStart(char c) => c == '{' || c == '_' || char.IsAsciiLetter(c);

    private static bool IsValidName(string name) =>
        name.Length > 0
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
