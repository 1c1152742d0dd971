namespace Gatehouse.Edge.Configuration;

/// <summary>Header name patterns from edge.toml: an exact name, or a prefix followed by <c>*</c>; case-insensitive.</summary>
internal static class HeaderPatterns
{
    public static bool IsValid(string pattern)
    {
        var name = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }

    public static bool Matches(string pattern, string header) =>
        pattern.EndsWith('*')
            ? header.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.OrdinalIgnoreCase)
            : header.Equals(pattern, StringComparison.OrdinalIgnoreCase);

    public static bool MatchesAny(IReadOnlyList<string> patterns, string header)
    {
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, header))
            {
                return true;
            }
        }

        return false;
    }
}
