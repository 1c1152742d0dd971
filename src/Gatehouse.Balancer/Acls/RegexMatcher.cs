using System.Text.RegularExpressions;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// `-m reg`. Patterns use the non-backtracking engine so that a pattern from the configuration cannot
/// make matching take exponential time; backreferences and lookarounds are therefore rejected at load.
/// </summary>
internal sealed class RegexMatcher : PatternMatcher
{
    private readonly Regex[] _patterns;

    private RegexMatcher(Regex[] patterns)
    {
        _patterns = patterns;
    }

    public static RegexMatcher Create(IReadOnlyList<string> patterns, bool ignoreCase, List<string> problems)
    {
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if (ignoreCase)
        {
            options |= RegexOptions.IgnoreCase;
        }

        var compiled = new List<Regex>();
        foreach (var pattern in patterns)
        {
            try
            {
                compiled.Add(new Regex(pattern, options));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                problems.Add($"invalid regular expression '{pattern}': {ex.Message}");
            }
        }

        return new RegexMatcher([.. compiled]);
    }

    public override bool Match(ReadOnlySpan<char> value)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }
}
