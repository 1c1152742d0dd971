namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// Thrown by a writer that sends records in batches when a batch fails, so the log counts every record lost,
/// not one failure per call.
/// </summary>
public sealed class DecisionRecordsLostException(long count, string message) : IOException(message)
{
    /// <summary>Records lost in the failed batches.</summary>
    public long Count { get; } = count;
}
