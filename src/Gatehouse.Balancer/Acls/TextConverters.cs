using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// HAProxy's `field(INDEX,DELIMITERS[,COUNT])` and `word(INDEX,DELIMITERS[,COUNT])`. Every character of
/// DELIMITERS separates; `word` skips the empty pieces that adjacent delimiters make. INDEX counts from 1, or
/// from the end when negative; COUNT pieces are taken (0: up to the end, or back to the start for a negative
/// INDEX) and returned with the text between them. An INDEX past the last piece gives an empty string.
/// </summary>
internal sealed class FieldConverter(int index, string delimiters, int count, bool words) : SampleConverter
{
    public static readonly string[] Names = ["field", "word"];

    public static SampleConverter? Parse(string name, string? arguments, List<string> problems)
    {
        var parts = arguments?.Split(',') ?? [];
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index) || index == 0
            || parts[1].Length == 0
            || (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedCount) || parsedCount < 0)))
        {
            problems.Add($"'{name}' expects (INDEX,DELIMITERS[,COUNT]) with INDEX a non-zero integer, DELIMITERS one or more characters and COUNT 0 or more, such as {name}(2,/)");
            return null;
        }

        var count = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 1;
        return new FieldConverter(index, parts[1], count, name == "word");
    }

    public override string? Convert(string value)
    {
        var pieces = Split(value);
        var position = index > 0 ? index - 1 : pieces.Count + index;
        if (position < 0 || position >= pieces.Count)
        {
            return string.Empty;
        }

        int first;
        int last;
        if (index > 0)
        {
            first = position;
            last = count == 0 ? pieces.Count - 1 : Math.Min(pieces.Count - 1, position + count - 1);
        }
        else
        {
            last = position;
            first = count == 0 ? 0 : Math.Max(0, position - count + 1);
        }

        return value[pieces[first].Start..pieces[last].End];
    }

    private List<(int Start, int End)> Split(string value)
    {
        var pieces = new List<(int Start, int End)>();
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && !delimiters.Contains(value[i], StringComparison.Ordinal))
            {
                continue;
            }

            if (!words || i > start)
            {
                pieces.Add((start, i));
            }

            start = i + 1;
        }

        return pieces;
    }
}

/// <summary>
/// HAProxy's `jwt_header_query([PATH[,TYPE]])` and `jwt_payload_query([PATH[,TYPE]])`: decodes one part of a
/// JWT (as from `http_auth_bearer`) and returns the value at a JSON path such as `$.iss` or `$.groups[0]`, or the
/// whole JSON without a path. TYPE is `str` (default), `int` or `bool`. The signature is not checked: use these
/// for routing on claims only behind something that verified the token, such as the edge assertion.
/// </summary>
internal sealed class JwtQueryConverter(int part, string[]? path, string type) : SampleConverter
{
    public static readonly string[] Names = ["jwt_header_query", "jwt_payload_query"];

    // A token beyond this length is not decoded; the edge rejects far shorter ones.
    private const int MaxTokenLength = 16 * 1024;

    public static SampleConverter? Parse(string name, string? arguments, List<string> problems)
    {
        var parts = string.IsNullOrEmpty(arguments) ? [] : arguments.Split(',');
        string[]? path = null;
        if (parts.Length > 0 && !TryParsePath(parts[0], out path))
        {
            problems.Add($"'{name}' expects a JSON path such as $.iss or $.groups[0]; got '{parts[0]}'");
            return null;
        }

        var type = parts.Length > 1 ? parts[1] : "str";
        if (parts.Length > 2 || type is not ("str" or "int" or "bool"))
        {
            problems.Add($"'{name}' expects ([PATH[,TYPE]]) with TYPE str, int or bool");
            return null;
        }

        return new JwtQueryConverter(name == "jwt_header_query" ? 0 : 1, path, type);
    }

    public override string? Convert(string value)
    {
        if (value.Length > MaxTokenLength || Decode(value) is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (path is null)
            {
                return json;
            }

            return Find(document.RootElement) is { } element ? Render(element) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? Decode(string token)
    {
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            return null;
        }

        var text = segments[part].Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var bytes = new byte[text.Length];
        return System.Convert.TryFromBase64String(text, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }

    private JsonElement? Find(JsonElement element)
    {
        foreach (var step in path!)
        {
            if (step.StartsWith('[') && int.TryParse(step.AsSpan(1, step.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var item))
            {
                if (element.ValueKind != JsonValueKind.Array || item >= element.GetArrayLength())
                {
                    return null;
                }

                element = element[item];
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step, out element))
            {
                return null;
            }
        }

        return element;
    }

    private string? Render(JsonElement element) => (type, element.ValueKind) switch
    {
        ("bool", JsonValueKind.True) => "1",
        ("bool", JsonValueKind.False) => "0",
        ("bool", _) => null,
        ("int", JsonValueKind.Number) => element.TryGetInt64(out var number) ? number.ToString(CultureInfo.InvariantCulture) : null,
        ("int", _) => null,
        (_, JsonValueKind.String) => element.GetString(),
        (_, JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) => element.GetRawText(),
        _ => null,
    };

    // Accepts $.a.b and $.a[0].b; returns the steps ("a", "[0]", "b").
    private static bool TryParsePath(string text, out string[]? steps)
    {
        steps = null;
        if (!text.StartsWith("$.", StringComparison.Ordinal) || text.Length == 2)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var name in text[2..].Split('.'))
        {
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var key = bracket < 0 ? name : name[..bracket];
            if (key.Length == 0)
            {
                return false;
            }

            list.Add(key);
            while (bracket >= 0)
            {
                var close = name.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(name.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return false;
                }

                list.Add(name[bracket..(close + 1)]);
                if (close + 1 == name.Length)
                {
                    break;
                }

                if (name[close + 1] != '[')
                {
                    // Text after "]" that starts no new index, such as "$.a[1]b".
                    return false;
                }

                bracket = close + 1;
            }
        }

        steps = [.. list];
        return true;
    }
}
