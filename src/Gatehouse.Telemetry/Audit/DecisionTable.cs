using System.Globalization;
using Gatehouse.Telemetry.Decisions;

namespace Gatehouse.Telemetry.Audit;

/// <summary>Writes requests as a compact table for a terminal, or as JSON lines for tools.</summary>
public static class DecisionTable
{
    private const int RequestIdWidth = 12;
    private const int RuleWidth = 48;

    private static readonly string[] Headings =
        ["TIME (UTC)", "TIER", "REQUEST", "CLIENT", "SUBJECT", "DECISION", "STATUS", "BACKEND/SERVER", "RULE: REASON"];

    /// <summary>Writes one row per record; a request's rows are adjacent, edge before balancer.</summary>
    public static void WriteTable(TextWriter output, IEnumerable<DecisionRequest> requests)
    {
        var rows = requests.SelectMany(request => request.Records).Select(Row).ToList();
        var widths = Headings.Select((heading, column) => rows.Select(row => row[column].Length).Prepend(heading.Length).Max())
            .ToArray();
        WriteRow(output, Headings, widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    /// <summary>Writes each record as one JSON line in the documented schema, without chain fields.</summary>
    public static void WriteJsonLines(TextWriter output, IEnumerable<DecisionRequest> requests)
    {
        foreach (var record in requests.SelectMany(request => request.Records))
        {
            output.WriteLine(DecisionLog.Serialize(record));
        }
    }

    private static string[] Row(DecisionRecord record) =>
    [
        record.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        record.Tier,
        record.RequestId.Length > RequestIdWidth ? record.RequestId[..RequestIdWidth] : record.RequestId,
        record.Client ?? "-",
        record.Subject ?? "-",
        record.Decision,
        record.Status.ToString(CultureInfo.InvariantCulture),
        record.Server is null ? record.Backend ?? "-" : $"{record.Backend}/{record.Server}",
        Shorten(RuleAndReason(record)),
    ];

    private static string RuleAndReason(DecisionRecord record) => (record.Rule, record.Reason) switch
    {
        (null, null) => "-",
        ({ } rule, null) => rule,
        (null, { } reason) => reason,
        ({ } rule, { } reason) => $"{rule}: {reason}",
    };

    private static string Shorten(string text) => text.Length <= RuleWidth ? text : text[..(RuleWidth - 1)] + "…";

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        // The last column is not padded, so lines carry no trailing spaces.
        var padded = cells.Select((cell, column) => column == cells.Length - 1 ? cell : cell.PadRight(widths[column]));
        output.WriteLine(string.Join("  ", padded));
    }
}
