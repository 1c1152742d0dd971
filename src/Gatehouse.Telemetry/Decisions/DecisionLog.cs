using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// Writes decision records as JSON lines to a file and to the logger at Information level.
/// Requests only enqueue; one background task does the I/O, so a slow disk never delays a request.
/// When the queue is full the record is dropped and counted in <see cref="Dropped"/>.
/// </summary>
public sealed partial class DecisionLog : IDecisionSink, IAsyncDisposable
{
    /// <summary>Most records waiting to be written; past it new records are dropped and counted.</summary>
    public const int QueueCapacity = 16_384;

    private readonly Channel<DecisionRecord> _queue;
    private readonly StreamWriter? _file;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _dropped;

    public DecisionLog(string? filePath, ILogger logger)
    {
        _logger = logger;
        _queue = Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            // With Wait, TryWrite returns false on a full queue, so drops can be counted; DropWrite would
            // report success and discard silently. Write never waits because it only calls TryWrite.
            FullMode = BoundedChannelFullMode.Wait,
        });
        if (filePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);
            var stream = new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.Read);
            _file = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        FilePath = filePath;
        _writer = Task.Run(DrainAsync);
    }

    /// <summary>The JSON-lines file records go to, or null when only the logger receives them.</summary>
    public string? FilePath { get; }

    /// <summary>Records dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Write(DecisionRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            // Log the first drop and then every 1,000th, so a stalled sink cannot flood the console.
            if (dropped == 1 || dropped % 1000 == 0)
            {
                LogDropped(_logger, dropped);
            }
        }
    }

    public static string Serialize(DecisionRecord record) =>
        JsonSerializer.Serialize(record, DecisionRecordJsonContext.Default.DecisionRecord);

    public static DecisionRecord? Deserialize(string line) =>
        JsonSerializer.Deserialize(line, DecisionRecordJsonContext.Default.DecisionRecord);

    private async Task DrainAsync()
    {
        await foreach (var record in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var json = Serialize(record);
            LogDecision(_logger, record.Tier, record.RequestId, json);
            if (_file is not null)
            {
                await _file.WriteLineAsync(json).ConfigureAwait(false);
                if (_queue.Reader.Count == 0)
                {
                    await _file.FlushAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Completes the queue, waits for queued records to be written, and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Tier} decision {RequestId} {Record}")]
    private static partial void LogDecision(ILogger logger, string tier, string requestId, string record);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Decision log queue full; {Dropped} records dropped so far")]
    private static partial void LogDropped(ILogger logger, long dropped);
}
