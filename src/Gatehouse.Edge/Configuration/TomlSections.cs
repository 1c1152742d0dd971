using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Gatehouse.Edge.Configuration;

/// <summary>A TOML value with the 1-based line it came from, so errors can name file:line.</summary>
internal sealed record TomlEntry(string Key, object? Value, int Line);

/// <summary>One table of a TOML document: the root, a <c>[table]</c> or one element of a <c>[[array]]</c>.</summary>
internal sealed record TomlSection(string Name, bool IsArrayElement, int Line, IReadOnlyList<TomlEntry> Entries);

/// <summary>
/// Reads a TOML document into flat sections that keep line numbers. Values are strings, longs, doubles,
/// booleans, lists of those, or nested dictionaries for inline tables.
/// </summary>
internal static class TomlSections
{
    public static IReadOnlyList<TomlSection> Parse(string text, string fileName, List<string> errors)
    {
        if (FindUnpairedSurrogate(text) is { } badLine)
        {
            errors.Add($"{fileName}:{badLine}: invalid character (an unpaired UTF-16 surrogate); save the file as UTF-8 text");
            return [];
        }

        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, fileName, true);
        }
        catch (Tomlyn.TomlException e)
        {
            // Tomlyn throws rather than reporting a diagnostic when arrays or inline tables nest too deep.
            errors.Add($"{fileName}:{DeepestLine(text)}: {e.Message.Split(". ")[0]}; nest arrays and inline tables less deeply");
            return [];
        }
        catch (ArgumentOutOfRangeException)
        {
            // Tomlyn throws this, instead of reporting a diagnostic, while it formats the message for some invalid escapes.
            errors.Add($"{fileName}:{BadEscapeLine(text)}: invalid escape sequence in a string; use \\\\, \\\", \\n, \\t or \\uXXXX");
            return [];
        }

        foreach (var diagnostic in document.Diagnostics)
        {
            errors.Add($"{fileName}:{diagnostic.Span.Start.Line + 1}: {diagnostic.Message}");
        }

        if (document.HasErrors)
        {
            return [];
        }

        var sections = new List<TomlSection> { new(string.Empty, false, 1, ReadEntries(document.KeyValues)) };
        foreach (var table in document.Tables)
        {
            var name = KeyText(table.Name);
            var line = table.Span.Start.Line + 1;
            sections.Add(new TomlSection(name, table is TableArraySyntax, line, ReadEntries(table.Items)));
        }

        return sections;
    }

    private static int? FindUnpairedSurrogate(string text)
    {
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return line;
            }
        }

        return null;
    }

    private static int BadEscapeLine(string text)
    {
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            line += text[i] == '\n' ? 1 : 0;
            if (text[i] == '\\' && (i + 1 == text.Length || !"btnfr\"\\uUe \t\r\n".Contains(text[i + 1])))
            {
                return line;
            }
        }

        return line;
    }

    // NOTE: counts brackets without skipping strings or comments, so the line is a close guess, not exact.
    private static int DeepestLine(string text)
    {
        var (line, depth, deepest, deepestLine) = (1, 0, 0, 1);
        foreach (var c in text)
        {
            if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}')
            {
                depth--;
            }

            line += c == '\n' ? 1 : 0;
            if (depth > deepest)
            {
                (deepest, deepestLine) = (depth, line);
            }
        }

        return deepestLine;
    }

    private static List<TomlEntry> ReadEntries(SyntaxList<KeyValueSyntax> items)
    {
        var entries = new List<TomlEntry>(items.ChildrenCount);
        foreach (var item in items)
        {
            entries.Add(new TomlEntry(KeyText(item.Key), ReadValue(item.Value), item.Span.Start.Line + 1));
        }

        return entries;
    }

    private static string KeyText(KeySyntax? key)
    {
        if (key is null)
        {
            return string.Empty;
        }

        var parts = new List<string> { PartText(key.Key) };
        foreach (var dotted in key.DotKeys)
        {
            parts.Add(PartText(dotted.Key));
        }

        return string.Join('.', parts);
    }

    private static string PartText(SyntaxNode? part) => part switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => part?.ToString()?.Trim() ?? string.Empty,
    };

    private static object? ReadValue(ValueSyntax? value) => value switch
    {
        StringValueSyntax s => s.Value,
        IntegerValueSyntax i => i.Value,
        BooleanValueSyntax b => b.Value,
        FloatValueSyntax f => f.Value,
        ArraySyntax array => array.Items.Select(item => ReadValue(item.Value)).ToList(),
        InlineTableSyntax inline => inline.Items.ToDictionary(
            item => KeyText(item.KeyValue?.Key),
            item => ReadValue(item.KeyValue?.Value)),
        _ => value?.ToString(),
    };
}
