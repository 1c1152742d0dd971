using System.Globalization;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// Parses the stick-counter actions of `http-request` (and `tcp-request connection` for track-sc): track-sc0 to
/// track-sc2, sc-inc-gpc0(N), sc-inc-gpc1(N) and sc-set-gpt0(N). Problems follow "'http-request ACTION': ".
/// </summary>
internal static class StickRuleParser
{
    /// <summary>True when <paramref name="action"/> is one of the actions this parser handles.</summary>
    public static bool Handles(string action) =>
        action is "track-sc0" or "track-sc1" or "track-sc2"
        || action.StartsWith("sc-inc-gpc0(", StringComparison.Ordinal)
        || action.StartsWith("sc-inc-gpc1(", StringComparison.Ordinal)
        || action.StartsWith("sc-set-gpt0(", StringComparison.Ordinal);

    /// <summary>Parses the words after the action and before any `if`/`unless`; returns null when invalid.</summary>
    public static HttpRequestRule? Parse(string action, IReadOnlyList<string> args, List<string> problems)
    {
        if (action.StartsWith("track-sc", StringComparison.Ordinal))
        {
            return ParseTrack(action[^1] - '0', args, problems);
        }

        if (ParseCounterNumber(action, problems) is not { } counter)
        {
            return null;
        }

        if (action.StartsWith("sc-set-gpt0", StringComparison.Ordinal))
        {
            return ParseSetGpt(counter, args, problems);
        }

        if (args.Count != 0)
        {
            problems.Add($"takes no arguments, got '{string.Join(' ', args)}'");
            return null;
        }

        var second = action.StartsWith("sc-inc-gpc1", StringComparison.Ordinal);
        return new IncrementGpcRule
        {
            Counter = counter,
            Data = second ? StickDataType.Gpc1 : StickDataType.Gpc0,
            Rate = second ? StickDataType.Gpc1Rate : StickDataType.Gpc0Rate,
        };
    }

    private static TrackCounterRule? ParseTrack(int counter, IReadOnlyList<string> args, List<string> problems)
    {
        if (args.Count is not (1 or 3) || (args.Count == 3 && args[1] != "table"))
        {
            problems.Add("expects a sample expression and an optional 'table NAME', such as 'track-sc0 src table st_src'");
            return null;
        }

        var tableName = args.Count == 3 ? args[2] : null;
        StickTableReferences.Record(tableName);
        return SampleExpression.Parse(args[0], problems) is { } key
            ? new TrackCounterRule { Counter = counter, Key = key, TableName = tableName }
            : null;
    }

    private static SetGptRule? ParseSetGpt(int counter, IReadOnlyList<string> args, List<string> problems)
    {
        if (args.Count != 1)
        {
            problems.Add("expects one integer or sample expression, such as 'sc-set-gpt0(0) 1'");
            return null;
        }

        if (long.TryParse(args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var constant))
        {
            return new SetGptRule { Counter = counter, Constant = constant };
        }

        return SampleExpression.Parse(args[0], problems) is { } expression ? new SetGptRule { Counter = counter, Expression = expression } : null;
    }

    private static int? ParseCounterNumber(string action, List<string> problems)
    {
        var open = action.IndexOf('(', StringComparison.Ordinal);
        var digits = action[(open + 1)..].TrimEnd(')');
        if (action.EndsWith(')') && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var counter)
            && counter < StickCounters.SlotCount)
        {
            return counter;
        }

        problems.Add($"expects a sticky counter number from 0 to {StickCounters.SlotCount - 1} in parentheses, such as '{action[..open]}(0)'");
        return null;
    }
}
