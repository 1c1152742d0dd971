namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// One destination of a <see cref="DecisionLog"/>, such as a file, syslog, stdout or the logger.
/// The log calls each writer from its own background task, one call at a time, so an implementation may
/// block and needs no locking. Disposing closes the destination (a file writer seals its file).
/// </summary>
public interface IDecisionWriter : IAsyncDisposable
{
    /// <summary>Short name for logs, such as <c>file edge-decisions.jsonl</c>.</summary>
    string Name { get; }

    /// <summary>Writes one record; <paramref name="json"/> is its serialized form, without a newline.</summary>
    ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken);

    /// <summary>Pushes buffered records to the destination; called whenever the queue runs empty.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reports records that never reached this writer because its queue was full, before the next write.
    /// The default ignores the count; the file writer records it in the file.
    /// </summary>
    void RecordsDropped(long count)
    {
    }
}
