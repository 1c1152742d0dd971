using System.Text;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Rules;

/// <summary>
/// A log-format string as used by header and body values and by `log-format`: literal text with `%[fetch,converter]`
/// expressions, the variables of <see cref="LogVariables"/> such as `%ci`, optionally preceded by flags such as
/// `%{+Q}r` (quoted), and `%%` for a percent sign.
/// </summary>
internal sealed class LogFormat
{
    private readonly object[] _parts;
    private readonly string? _constant;

    private LogFormat(object[] parts)
    {
        _parts = parts;
        if (parts.All(part => part is string))
        {
            _constant = string.Concat(parts.Cast<string>());
        }
    }

    /// <summary>True when <see cref="Render"/> returns the same text for every request.</summary>
    public bool IsConstant => _constant is not null;

    public static LogFormat Literal(string text) => new([text]);

    public static LogFormat? Parse(string text, List<string> problems)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i++]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '[')
            {
                var (start, quoted) = ReadFlags(text, i + 1);
                var end = start;
                while (end < text.Length && char.IsAsciiLetter(text[end]))
                {
                    end++;
                }

                var variable = LogVariables.Find(text[start..end]);
                if (variable is null)
                {
                    problems.Add($"log-format variable '{text[i..Math.Max(end, Math.Min(text.Length, i + 2))]}' in '{text}' is not supported yet; "
                        + $"use {LogVariables.Names}, %[fetch] or write %% for a percent sign");
                    return null;
                }

                Flush(parts, literal);
                parts.Add(quoted ? Quote(variable) : variable);
                i = end;
                continue;
            }

            var close = text.IndexOf(']', i + 2);
            if (close < 0)
            {
                problems.Add($"missing ']' after '%[' in '{text}'");
                return null;
            }

            var expression = SampleExpression.Parse(text[(i + 2)..close], problems);
            if (expression is null)
            {
                return null;
            }

            Flush(parts, literal);
            parts.Add(expression);
            i = close + 1;
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add(literal.ToString());
        }

        return new LogFormat([.. parts]);
    }

    /// <summary>Returns the text with each expression replaced by its value; a missing value renders as empty.</summary>
    public string Render(SampleContext context)
    {
        if (_constant is not null)
        {
            return _constant;
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part switch
            {
                SampleExpression expression => expression.FetchString(context),
                LogVariable variable => variable.Render(context),
                _ => (string)part,
            });
        }

        return builder.ToString();
    }

    /// <summary>
    /// Returns the text as an access log line renders it, as HAProxy does: a missing value is "-", a missing capture
    /// is left out, and a space in the format is not repeated after a space already written.
    /// </summary>
    public string RenderLog(SampleContext context)
    {
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            var text = part switch
            {
                SampleExpression expression => expression.FetchString(context) ?? "-",
                LogVariable variable => variable.Render(context) ?? (variable.OmitWhenMissing ? "" : "-"),
                _ => (string)part,
            };
            if (part is string && builder.Length > 0 && builder[^1] == ' ')
            {
                text = text.TrimStart(' ');
            }

            builder.Append(text);
        }

        return builder.ToString();
    }

    // Reads "{+Q}" style flags; only +Q (quote the value) changes the output, other flags are accepted and ignored.
    private static (int Start, bool Quoted) ReadFlags(string text, int start)
    {
        if (start >= text.Length || text[start] != '{')
        {
            return (start, false);
        }

        var close = text.IndexOf('}', start);
        if (close < 0)
        {
            return (start, false);
        }

        var flags = text[(start + 1)..close];
        return (close + 1, flags.Contains("+Q", StringComparison.Ordinal));
    }

    private static LogVariable Quote(LogVariable variable) =>
        variable with { Render = context => variable.Render(context) is { } value ? $"\"{value}\"" : null };

    private static void Flush(List<object> parts, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
            literal.Clear();
        }
    }
}
