using Gatehouse.Signals.Tests.Redis;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Edge.Tests.Support;

namespace Gatehouse.Edge.Tests.MultiNode;

/// <summary>Waits for a decision record, because the edge may write it after the client has read the response.</summary>
internal static class DecisionWait
{
    public static async Task<DecisionRecord> ForAsync(DecisionList decisions, string decision)
    {
        DecisionRecord? found = null;
        await Poll.UntilAsync(
            () => (found = decisions.Records.LastOrDefault(record => record.Decision == decision)) is not null,
            $"a decision record with decision \"{decision}\"; records: {Describe(decisions)}");
        return found!;
    }

    private static string Describe(DecisionList decisions) =>
        string.Join("; ", decisions.Records.Select(record => $"{record.Path} {record.Decision} {record.Rule} {record.Reason}"));
}
