using System.Globalization;

namespace Gatehouse.Cli.Top;

/// <summary>
/// One reading of the edge's Prometheus text: the decisions counted so far per action, summed over rules, and the
/// penalty box size. Series the exporter folds into its overflow series, which carry no action, count as "other".
/// </summary>
internal sealed record EdgeSnapshot(DateTimeOffset Time, IReadOnlyDictionary<string, long> DecisionsByAction, long? PenaltyBoxEntries)
{
    private const string DecisionsMetric = "gatehouse_edge_decisions_total";

    private const string PenaltyBoxMetric = "gatehouse_edge_penalty_box_entries";

    /// <summary>At most this many actions are kept, so a hostile or broken endpoint cannot grow the view without bound.</summary>
    private const int MaxActions = 32;

    /// <summary>Reads the two metrics from Prometheus text format 0.0.4; other lines are skipped.</summary>
    public static EdgeSnapshot Parse(string text, DateTimeOffset time)
    {
        var decisions = new Dictionary<string, long>(StringComparer.Ordinal);
        long? penaltyBox = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith(DecisionsMetric, StringComparison.Ordinal) && TryValue(line, out var count))
            {
                var action = Label(line, "action") ?? "other";
                if (decisions.ContainsKey(action) || decisions.Count < MaxActions)
                {
                    decisions[action] = decisions.GetValueOrDefault(action) + count;
                }
            }
            else if (line.StartsWith(PenaltyBoxMetric, StringComparison.Ordinal) && TryValue(line, out var entries))
            {
                penaltyBox = (penaltyBox ?? 0) + entries;
            }
        }

        return new EdgeSnapshot(time, decisions, penaltyBox);
    }

    // The sample value is the last field; counters and this gauge are whole numbers.
    private static bool TryValue(string line, out long value)
    {
        value = 0;
        var space = line.LastIndexOf(' ');
        if (space <= 0 || !double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        if (!double.IsFinite(number) || number < 0 || number > long.MaxValue)
        {
            return false;
        }

        value = (long)number;
        return true;
    }

    // Reads NAME="VALUE" inside the braces, undoing the exposition format's \\, \" and \n escapes.
    private static string? Label(string line, string name)
    {
        var open = line.IndexOf('{');
        var start = open < 0 ? -1 : line.IndexOf(name + "=\"", open, StringComparison.Ordinal);
        if (start < 0 || (line[start - 1] != '{' && line[start - 1] != ','))
        {
            return null;
        }

        var value = new System.Text.StringBuilder();
        for (var i = start + name.Length + 2; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '"':
                    return value.ToString();
                case '\\' when i + 1 < line.Length:
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                    break;
                default:
                    value.Append(line[i]);
                    break;
            }
        }

        return null;
    }
}
