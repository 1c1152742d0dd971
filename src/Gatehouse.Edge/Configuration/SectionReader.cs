using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads typed keys from one TOML section, records every problem with file:line, and after
/// <see cref="ReportUnknownKeys"/> reports any key that no reader call requested, so a typo is never ignored.
/// </summary>
internal sealed partial class SectionReader
{
    private readonly TomlSection _section;
    private readonly string _file;
    private readonly List<string> _errors;
    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public SectionReader(TomlSection section, string file, List<string> errors, IReadOnlyDictionary<string, string> variables)
    {
        _section = section;
        _file = file;
        _errors = errors;
        _variables = variables;
    }

    public string Title => _section.Name.Length == 0
        ? "the top level"
        : _section.IsArrayElement ? $"[[{_section.Name}]]" : $"[{_section.Name}]";

    public int Line => _section.Line;

    public void Error(int line, string message) => _errors.Add($"{_file}:{line}: {message}");

    public string? String(string key, string? fallback = null)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return fallback;
        }

        if (entry.Value is string text)
        {
            return Expand(text, entry);
        }

        Error(entry.Line, $"key '{key}' in {Title} must be a string, for example {key} = \"...\"");
        return fallback;
    }

    public string RequiredString(string key, string example)
    {
        var value = String(key);
        if (value is null && Find(key) is null)
        {
            Error(_section.Line, $"{Title} is missing key '{key}'; add {key} = \"{example}\"");
        }

        return value ?? string.Empty;
    }

    public long Integer(string key, long fallback, long min, long max)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return fallback;
        }

        if (entry.Value is long number && number >= min && number <= max)
        {
            return number;
        }

        Error(entry.Line, $"key '{key}' in {Title} must be an integer from {min} to {max}; got {Describe(entry.Value)}");
        return fallback;
    }

    public bool Boolean(string key, bool fallback)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return fallback;
        }

        if (entry.Value is bool flag)
        {
            return flag;
        }

        Error(entry.Line, $"key '{key}' in {Title} must be true or false; got {Describe(entry.Value)}");
        return fallback;
    }

    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return fallback;
        }

        if (entry.Value is string text && TryParseDuration(Expand(text, entry), out var duration))
        {
            return duration;
        }

        Error(entry.Line, $"key '{key}' in {Title} must be a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\"; got {Describe(entry.Value)}");
        return fallback;
    }

    /// <summary>Reads a duration that must lie from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var duration = Duration(key, fallback);
        if (duration >= min && duration <= max)
        {
            return duration;
        }

        Error(LineOf(key), $"key '{key}' in {Title} must be a duration from {FormatDuration(min)} to {FormatDuration(max)}; got \"{Find(key)?.Value}\"");
        return fallback;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is List<object?> items && items.All(item => item is string))
        {
            return items.Select(item => Expand((string)item!, entry)).ToList();
        }

        Error(entry.Line, $"key '{key}' in {Title} must be an array of strings, for example {key} = [\"a\", \"b\"]");
        return null;
    }

    /// <summary>Reads an array of inline tables, such as <c>variants = [{ name = "a", weight = 1 }]</c>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>>? TableList(string key)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is List<object?> items && items.All(item => item is Dictionary<string, object?>))
        {
            return items.Cast<IReadOnlyDictionary<string, object?>>().ToList();
        }

        Error(entry.Line, $"key '{key}' in {Title} must be an array of inline tables, for example {key} = [{{ name = \"a\" }}]");
        return null;
    }

    /// <summary>Returns the inline table of <paramref name="key"/>, such as <c>tls = { ca = "ca.pem" }</c>; null when absent or not a table.</summary>
    public IReadOnlyDictionary<string, object?>? Table(string key) => Find(key)?.Value as Dictionary<string, object?>;

    public bool Has(string key) => Find(key) is not null;

    /// <summary>Returns a key's parsed TOML value (string, long, double, bool, list or table) without type checks, or null.</summary>
    public object? Value(string key) => Find(key)?.Value;

    public int LineOf(string key) => Find(key)?.Line ?? _section.Line;

    /// <summary>
    /// Reports every key in the section that no reader call asked for, with a hint: the entry of
    /// <paramref name="hints"/> for that key, else the closest known key when one is within two edits.
    /// </summary>
    public void ReportUnknownKeys(IReadOnlyDictionary<string, string>? hints = null)
    {
        foreach (var entry in _section.Entries.Where(entry => !_known.Contains(entry.Key)))
        {
            var expected = string.Join(", ", _known.Order(StringComparer.Ordinal));
            var hint = hints is not null && hints.TryGetValue(entry.Key, out var text)
                ? $" ({text})"
                : ClosestKnownKey(entry.Key) is { } closest ? $" (did you mean '{closest}'?)" : string.Empty;
            Error(entry.Line, $"unknown key '{entry.Key}' in {Title}{hint}; expected one of: {expected}");
        }
    }

    private string? ClosestKnownKey(string key)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var known in _known.Order(StringComparer.Ordinal))
        {
            var distance = EditDistance(key, known);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (known, distance);
            }
        }

        return best;
    }

    /// <summary>Returns the Levenshtein distance between two keys (insertions, deletions and substitutions).</summary>
    internal static int EditDistance(string left, string right)
    {
        var previous = new int[right.Length + 1];
        var current = new int[right.Length + 1];
        for (var j = 0; j <= right.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= left.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= right.Length; j++)
            {
                var substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[right.Length];
    }

    private static string Describe(object? value) => value switch
    {
        string text => $"\"{text}\"",
        bool flag => flag ? "true" : "false",
        null => "nothing",
        List<object?> => "an array",
        Dictionary<string, object?> => "a table",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "a value",
    };

    // Writes a bound in the loader's own duration syntax, so the message shows a value the user can paste.
    private static string FormatDuration(TimeSpan duration)
    {
        var (value, unit) = duration switch
        {
            { TotalHours: >= 1 } when duration.TotalHours % 1 == 0 => (duration.TotalHours, "h"),
            { TotalMinutes: >= 1 } when duration.TotalMinutes % 1 == 0 => (duration.TotalMinutes, "m"),
            { TotalSeconds: >= 1 } when duration.TotalSeconds % 1 == 0 => (duration.TotalSeconds, "s"),
            _ => (duration.TotalMilliseconds, "ms"),
        };
        return FormattableString.Invariant($"\"{value}{unit}\"");
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success
            || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        duration = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
        return true;
    }

    private TomlEntry? Find(string key)
    {
        _known.Add(key);
        return _section.Entries.LastOrDefault(entry => entry.Key == key);
    }

    private string Expand(string text, TomlEntry entry)
    {
        var expanded = VariableExpander.Expand(text, _variables, out var missing);
        if (missing is not null)
        {
            Error(entry.Line, $"key '{entry.Key}' in {Title} uses variable '${{{missing}}}', which is not set; set it or write ${{{missing}-default}}");
        }

        return expanded;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$")]
    private static partial Regex DurationPattern();
}
