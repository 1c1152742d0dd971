using System.Text.Json;
using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions.Sinks;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// Sends decision records to one or more writers: a hash-chained rotating file, syslog, stdout, the logger.
/// Requests only enqueue. Each writer has its own bounded queue and background task, so a slow
/// destination never delays a request or the other writers; its overflow is dropped, counted in
/// <see cref="Dropped"/> and logged at most once per <see cref="DecisionLogOptions.DropReportInterval"/>.
/// </summary>
public sealed class DecisionLog : IDecisionSink, IAsyncDisposable
{
    /// <summary>Default maximum records waiting per writer; past it new records are dropped and counted.</summary>
    public const int QueueCapacity = 16_384;

    private readonly QueuedWriter[] _writers;

    /// <summary>
    /// Writes records to the logger at Information level and, when <paramref name="filePath"/> is set, to a
    /// hash-chained JSON-lines file with the default rotation. Each closed file ends with a checkpoint
    /// signed by <paramref name="signer"/>; without one the checkpoint is unsigned and
    /// <c>gatehouse audit verify</c> reports it.
    /// </summary>
    public DecisionLog(string? filePath, ILogger logger, ICheckpointSigner? signer = null)
        : this(DefaultWriters(filePath, logger, signer), logger)
    {
    }

    /// <summary>Sends records to <paramref name="writers"/>; the log owns them and disposes them.</summary>
    public DecisionLog(IEnumerable<IDecisionWriter> writers, ILogger logger, DecisionLogOptions? options = null)
    {
        options ??= new DecisionLogOptions();
        _writers = writers.Select(writer => new QueuedWriter(writer, options, logger)).ToArray();
        FilePath = _writers.Select(w => w.Writer).OfType<RotatingFileWriter>().FirstOrDefault()?.Path;
    }

    /// <summary>
    /// Builds a log with the logger writer, a file writer for <paramref name="defaultFilePath"/> when set, and a
    /// writer per destination in <paramref name="sinks"/>. <paramref name="signer"/> signs the checkpoints of every
    /// file. Writers already built are disposed when a later one fails to build.
    /// </summary>
    public static DecisionLog Create(
        DecisionSinkOptions sinks, ILogger logger, string? defaultFilePath = null, ICheckpointSigner? signer = null)
    {
        var writers = DefaultWriters(defaultFilePath, logger, signer);
        try
        {
            writers.AddRange(sinks.Files.Select(file => new RotatingFileWriter(file, signer, logger)));
            if (sinks.Stdout)
            {
                writers.Add(new StdoutDecisionWriter());
            }

            writers.AddRange(sinks.Syslog.Select(syslog => new SyslogWriter(syslog)));
            writers.AddRange(sinks.Otlp.Select(otlp => new OtlpLogWriter(otlp)));
        }
        catch
        {
            foreach (var writer in writers)
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        var options = new DecisionLogOptions { QueueCapacity = sinks.QueueCapacity ?? QueueCapacity };
        return new DecisionLog(writers, logger, options);
    }

    /// <summary>The active JSON-lines file of the first file writer, or null when no writer writes a file.</summary>
    public string? FilePath { get; }

    /// <summary>Records dropped because a writer's queue was full, summed over writers.</summary>
    public long Dropped => _writers.Sum(w => w.Dropped);

    /// <summary>Per-writer counts of records written, dropped on a full queue, and lost to write errors.</summary>
    public IReadOnlyList<DecisionWriterStatus> Status =>
        _writers.Select(w => new DecisionWriterStatus(w.Name, w.Written, w.Dropped, w.Failed)).ToList();

    public void Write(DecisionRecord record)
    {
        foreach (var writer in _writers)
        {
            writer.Enqueue(record);
        }
    }

    public static string Serialize(DecisionRecord record) =>
        JsonSerializer.Serialize(record, DecisionRecordJsonContext.Default.DecisionRecord);

    public static DecisionRecord? Deserialize(string line) =>
        JsonSerializer.Deserialize(line, DecisionRecordJsonContext.Default.DecisionRecord);

    /// <summary>Completes the queues, waits for queued records to be written, and closes every writer.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_writers.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private static List<IDecisionWriter> DefaultWriters(string? filePath, ILogger logger, ICheckpointSigner? signer)
    {
        var writers = new List<IDecisionWriter> { new LoggerDecisionWriter(logger) };
        if (filePath is not null)
        {
            writers.Add(new RotatingFileWriter(new RotatingFileOptions { Path = filePath }, signer, logger));
        }

        return writers;
    }
}

/// <summary>Counts for one writer of a <see cref="DecisionLog"/>.</summary>
public sealed record DecisionWriterStatus(string Name, long Written, long Dropped, long Failed);
