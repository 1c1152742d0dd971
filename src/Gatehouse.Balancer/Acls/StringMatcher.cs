namespace Gatehouse.Balancer.Acls;

/// <summary>`-m str`, `-m beg`, `-m end` and `-m sub`, with `-i` for case-insensitive comparison.</summary>
internal sealed class StringMatcher : PatternMatcher
{
    private readonly MatchMethod _method;
    private readonly string[] _patterns;
    private readonly StringComparison _comparison;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exact;

    public StringMatcher(MatchMethod method, IReadOnlyList<string> patterns, bool ignoreCase)
    {
        _method = method;
        _patterns = [.. patterns];
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
                _ => value.Contains(pattern, _comparison),
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }
}
