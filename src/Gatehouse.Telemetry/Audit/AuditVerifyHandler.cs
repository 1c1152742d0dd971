namespace Gatehouse.Telemetry.Audit;

/// <summary>The work of <c>gatehouse audit verify</c>: verifies files, prints one block per file, returns the exit code.</summary>
public static class AuditVerifyHandler
{
    public const int Verified = 0;
    public const int Failed = 1;

    /// <summary>Exit code when no file failed but at least one has no checkpoint yet.</summary>
    public const int Unsealed = 2;

    /// <summary>
    /// Verifies each file and returns 0 when all are sealed (or unsealed but intact, with
    /// <paramref name="allowUnsealed"/>), 1 when any failed, and 2 when some are only unsealed.
    /// </summary>
    public static int Run(IEnumerable<string> paths, ICheckpointKeyResolver keys, bool allowUnsealed, TextWriter output)
    {
        var failed = 0;
        var unsealed = 0;
        foreach (var path in paths)
        {
            DecisionFileReport report;
            try
            {
                report = DecisionFileVerifier.Verify(path, keys);
            }
            catch (IOException exception)
            {
                output.WriteLine($"FAILED    {path}: cannot read the file: {exception.Message}");
                failed++;
                continue;
            }

            Print(report, output);
            failed += report.State == DecisionFileState.Invalid ? 1 : 0;
            unsealed += report.State == DecisionFileState.Unsealed ? 1 : 0;
        }

        if (failed > 0)
        {
            return Failed;
        }

        return unsealed > 0 && !allowUnsealed ? Unsealed : Verified;
    }

    private static void Print(DecisionFileReport report, TextWriter output)
    {
        var counts = report.Dropped > 0
            ? $"{report.Records} records, {report.Dropped} dropped before writing"
            : $"{report.Records} records";
        switch (report.State)
        {
            case DecisionFileState.Sealed:
                output.WriteLine($"OK        {report.Path} ({counts}, checkpoint signed by {report.KeyId})");
                break;
            case DecisionFileState.Unsealed:
                output.WriteLine($"UNSEALED  {report.Path} ({counts}): {report.Note}");
                break;
            default:
                output.WriteLine($"FAILED    {report.Path} ({counts})");
                foreach (var problem in report.Problems)
                {
                    output.WriteLine(problem.Line > 0 ? $"  line {problem.Line}: {problem.Message}" : $"  {problem.Message}");
                }

                break;
        }
    }
}
