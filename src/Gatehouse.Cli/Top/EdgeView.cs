using System.Globalization;
using System.Text;

namespace Gatehouse.Cli.Top;

/// <summary>
/// Lays out the edge lines of <c>gatehouse top</c>: decisions per second by action, from the difference between two
/// readings, and the penalty box size. The first reading has no rate yet, so it shows the totals so far instead.
/// </summary>
internal static class EdgeView
{
    // The actions of decision records, in the order a reader scans them; any other action follows alphabetically.
    private static readonly string[] KnownActions = ["allow", "forward", "static", "guest", "deny", "limit", "penalty"];

    public static List<string> Render(EdgeSnapshot? current, EdgeSnapshot? previous, string? error)
    {
        var lines = new List<string> { "EDGE" };
        if (current is null)
        {
            lines.Add("  " + (error ?? "no reading yet"));
            return lines;
        }

        var elapsed = previous is null ? 0 : (current.Time - previous.Time).TotalSeconds;
        var actions = KnownActions.Where(current.DecisionsByAction.ContainsKey)
            .Concat(current.DecisionsByAction.Keys.Where(action => !KnownActions.Contains(action)).Order(StringComparer.Ordinal));
        var rates = new StringBuilder(previous is null ? "  decisions so far" : "  decisions/s");
        foreach (var action in actions)
        {
            rates.Append("  ").Append(action).Append(' ').Append(Rate(current, previous, action, elapsed));
        }

        if (current.DecisionsByAction.Count == 0)
        {
            rates.Append("  none yet");
        }

        lines.Add(rates.ToString());
        var box = current.PenaltyBoxEntries?.ToString(CultureInfo.InvariantCulture) ?? "-";
        lines.Add($"  penalty box {box} entries" + (error is null ? "" : $"  ({error})"));
        return lines;
    }

    private static string Rate(EdgeSnapshot current, EdgeSnapshot? previous, string action, double elapsed)
    {
        var now = current.DecisionsByAction[action];
        if (previous is null)
        {
            return now.ToString(CultureInfo.InvariantCulture);
        }

        var then = previous.DecisionsByAction.GetValueOrDefault(action);
        // A restarted edge starts its counters again from zero; a rate below zero would be meaningless.
        return now < then || elapsed <= 0 ? "-" : ((now - then) / elapsed).ToString("0.#", CultureInfo.InvariantCulture);
    }
}
