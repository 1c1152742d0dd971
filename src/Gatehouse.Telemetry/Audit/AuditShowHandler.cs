namespace Gatehouse.Telemetry.Audit;

/// <summary>The work of <c>gatehouse audit show</c>: reads files, joins and filters, prints a table or JSON lines.</summary>
public static class AuditShowHandler
{
    /// <summary>Prints the matching requests and returns 0, or 1 when nothing matched.</summary>
    public static int Run(IEnumerable<string> paths, DecisionFilter filter, bool json, TextWriter output, TextWriter error)
    {
        var records = new List<Decisions.DecisionRecord>();
        foreach (var path in paths)
        {
            records.AddRange(DecisionQuery.ReadRecords(path, out var skipped));
            if (skipped > 0)
            {
                error.WriteLine($"{path}: skipped {skipped} lines that are not decision records; run `gatehouse audit verify {path}`");
            }
        }

        var requests = DecisionQuery.Join(records, filter);
        if (requests.Count == 0)
        {
            error.WriteLine("no decision records match");
            return 1;
        }

        if (json)
        {
            DecisionTable.WriteJsonLines(output, requests);
        }
        else
        {
            DecisionTable.WriteTable(output, requests);
        }

        return 0;
    }
}
