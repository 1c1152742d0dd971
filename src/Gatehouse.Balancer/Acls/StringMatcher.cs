namespace Gatehouse.Balancer.Acls;

/// <summary>`-m str`, `-m beg`, `-m end`, `-m sub` and `-m dir`, with `-i` for case-insensitive comparison.</summary>
internal sealed class StringMatcher : PatternMatcher
{
    private static readonly char[] DirectoryDelimiters = ['/', '?'];

    private readonly MatchMethod _method;
    private readonly string[] _patterns;
    private readonly StringComparison _comparison;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exact;

    public StringMatcher(MatchMethod method, IReadOnlyList<string> patterns, bool ignoreCase)
    {
        _method = method;
        // A directory pattern's own leading and trailing delimiters do not count, as in HAProxy.
        _patterns = method == MatchMethod.Directory ? [.. patterns.Select(pattern => pattern.Trim(DirectoryDelimiters))] : [.. patterns];
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var set = new HashSet<string>(patterns, ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        _exact = set.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public override bool Match(ReadOnlySpan<char> value)
    {
        if (_method == MatchMethod.String)
        {
            return _exact.Contains(value);
        }

        foreach (var pattern in _patterns)
        {
            var matched = _method switch
            {
                MatchMethod.Begin => value.StartsWith(pattern, _comparison),
                MatchMethod.End => value.EndsWith(pattern, _comparison),
                MatchMethod.Directory => ContainsDirectory(value, pattern),
                _ => value.Contains(pattern, _comparison),
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether the pattern occurs with a '/' or '?' or the end of the value on both sides.</summary>
    private bool ContainsDirectory(ReadOnlySpan<char> value, string pattern)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        for (var start = 0; start <= value.Length - pattern.Length; start++)
        {
            var end = start + pattern.Length;
            if (value[start..end].Equals(pattern, _comparison)
                && (start == 0 || DirectoryDelimiters.Contains(value[start - 1]))
                && (end == value.Length || DirectoryDelimiters.Contains(value[end])))
            {
                return true;
            }
        }

        return false;
    }
}
