using System.Text.Json;
using Gatehouse.Telemetry.Decisions;

namespace Gatehouse.Telemetry.Audit;

/// <summary>One request as both tiers recorded it: edge record first, then balancer, each in time order.</summary>
public sealed record DecisionRequest(string RequestId, IReadOnlyList<DecisionRecord> Records);

/// <summary>Reads decision files and joins the tiers' records by request id.</summary>
public static class DecisionQuery
{
    /// <summary>
    /// Returns the decision records of a file, skipping header, gap and checkpoint lines. Lines that are not
    /// records are counted in <paramref name="skipped"/>; <c>gatehouse audit verify</c> explains them.
    /// </summary>
    public static List<DecisionRecord> ReadRecords(string path, out int skipped)
    {
        var records = new List<DecisionRecord>();
        skipped = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var record = TryReadRecord(line, out var isControl);
            if (record is not null)
            {
                records.Add(record);
            }
            else if (!isControl)
            {
                skipped++;
            }
        }

        return records;
    }

    /// <summary>Groups records by request id and returns the requests that match, oldest first.</summary>
    public static List<DecisionRequest> Join(IEnumerable<DecisionRecord> records, DecisionFilter filter) =>
        records
            .GroupBy(r => r.RequestId, StringComparer.Ordinal)
            .Select(group => new DecisionRequest(group.Key, group.OrderBy(TierOrder).ThenBy(r => r.Time).ToList()))
            .Where(request => filter.Matches(request.Records))
            .OrderBy(request => request.Records.Min(r => r.Time))
            .ThenBy(request => request.RequestId, StringComparer.Ordinal)
            .ToList();

    private static int TierOrder(DecisionRecord record) => record.Tier switch
    {
        "edge" => 0,
        "balancer" => 1,
        _ => 2,
    };

    private static DecisionRecord? TryReadRecord(string line, out bool isControl)
    {
        isControl = false;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (document.RootElement.TryGetProperty("type", out _))
            {
                isControl = true;
                return null;
            }

            return DecisionLog.Deserialize(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
