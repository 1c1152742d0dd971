using System.Globalization;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// `-m int`. Each pattern is a number, a range (`N:M`, `:M`, `N:`) or an operator and a number
/// (`eq`, `ne`, `lt`, `le`, `gt`, `ge`). The value matches when any pattern is true for it.
/// </summary>
internal sealed class IntegerMatcher : PatternMatcher
{
    private readonly (long Min, long Max, bool Negated)[] _ranges;

    private IntegerMatcher((long, long, bool)[] ranges)
    {
        _ranges = ranges;
    }

    public static IntegerMatcher Create(IReadOnlyList<string> patterns, List<string> problems)
    {
        var ranges = new List<(long, long, bool)>();
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (pattern is "eq" or "ne" or "lt" or "le" or "gt" or "ge")
            {
                if (i + 1 >= patterns.Count || !TryParse(patterns[i + 1], out var operand))
                {
                    problems.Add($"operator '{pattern}' expects an integer after it");
                    return new IntegerMatcher([]);
                }

                ranges.Add(FromOperator(pattern, operand));
                i++;
            }
            else if (TryParseRange(pattern, out var range))
            {
                ranges.Add(range);
            }
            else
            {
                problems.Add($"invalid integer pattern '{pattern}'; expected N, N:M, or eq|ne|lt|le|gt|ge N");
            }
        }

        return new IntegerMatcher([.. ranges]);
    }

    public override bool Match(ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
        && MatchInteger(number);

    public override bool MatchInteger(long value)
    {
        foreach (var (min, max, negated) in _ranges)
        {
            var inside = value >= min && value <= max;
            if (inside != negated)
            {
                return true;
            }
        }

        return false;
    }

    private static (long, long, bool) FromOperator(string op, long operand) => op switch
    {
        "eq" => (operand, operand, false),
        "ne" => (operand, operand, true),
        "lt" => operand == long.MinValue ? (1, 0, false) : (long.MinValue, operand - 1, false),
        "le" => (long.MinValue, operand, false),
        "gt" => operand == long.MaxValue ? (1, 0, false) : (operand + 1, long.MaxValue, false),
        _ => (operand, long.MaxValue, false),
    };

    private static bool TryParseRange(string pattern, out (long, long, bool) range)
    {
        range = default;
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var ok = TryParse(pattern, out var single);
            range = (single, single, false);
            return ok;
        }

        var low = long.MinValue;
        var high = long.MaxValue;
        var lowText = pattern[..colon];
        var highText = pattern[(colon + 1)..];
        if ((lowText.Length > 0 && !TryParse(lowText, out low)) || (highText.Length > 0 && !TryParse(highText, out high)))
        {
            return false;
        }

        range = (low, high, false);
        return lowText.Length > 0 || highText.Length > 0;
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
