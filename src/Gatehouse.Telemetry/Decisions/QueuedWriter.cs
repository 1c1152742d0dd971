using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// A writer behind its own bounded queue and background task, so one slow destination drops and counts
/// its own records while the others keep up. Drops and failures are logged at most once per interval.
/// </summary>
internal sealed class QueuedWriter : IAsyncDisposable
{
    private readonly Channel<DecisionRecord> _queue;
    private readonly IDecisionWriter _writer;
    private readonly ILogger _logger;
    private readonly TimeSpan _shutdownTimeout;
    private readonly RepeatCounter _drops;
    private readonly RepeatCounter _failures;
    private readonly RepeatCounter _flushFailures;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _drain;
    private long _dropsNotForwarded;
    private long _written;

    public QueuedWriter(IDecisionWriter writer, DecisionLogOptions options, ILogger logger)
    {
        _writer = writer;
        _logger = logger;
        _shutdownTimeout = options.ShutdownTimeout;
        _drops = new RepeatCounter(options.TimeProvider, options.DropReportInterval);
        _failures = new RepeatCounter(options.TimeProvider, options.DropReportInterval);
        _flushFailures = new RepeatCounter(options.TimeProvider, options.DropReportInterval);
        _queue = Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            // With Wait, TryWrite returns false on a full queue, so drops can be counted; DropWrite would
            // report success and discard silently. Enqueue never waits because it only calls TryWrite.
            FullMode = BoundedChannelFullMode.Wait,
        });
        _drain = Task.Run(DrainAsync);
    }

    public string Name => _writer.Name;

    public IDecisionWriter Writer => _writer;

    public long Written => Interlocked.Read(ref _written);

    public long Dropped => _drops.Total;

    public long Failed => _failures.Total;

    /// <summary>Queues a record without waiting; a full queue drops it and counts the drop.</summary>
    public void Enqueue(DecisionRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        _drops.Add();
        Interlocked.Increment(ref _dropsNotForwarded);
        ReportDrops();
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                ForwardDrops();
                await WriteOneAsync(record).ConfigureAwait(false);
                ReportDrops();
            }

            await FlushAsync().ConfigureAwait(false);
        }

        ForwardDrops();
    }

    private async Task WriteOneAsync(DecisionRecord record)
    {
        try
        {
            await _writer.WriteAsync(record, DecisionLog.Serialize(record), _stopping.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _written);
        }
        catch (DecisionRecordsLostException exception)
        {
            _failures.Add(exception.Count);
            ReportFailure(exception);
        }
        catch (Exception exception)
        {
            _failures.Add();
            ReportFailure(exception);
        }
    }

    private async Task FlushAsync()
    {
        try
        {
            await _writer.FlushAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (DecisionRecordsLostException exception)
        {
            _failures.Add(exception.Count);
            ReportFailure(exception);
        }
        catch (Exception exception)
        {
            // Failed counts lost records, and a flush failure has no record count, so flushes get their own counter.
            _flushFailures.Add();
            var failed = _flushFailures.TakeDue();
            if (failed > 0)
            {
                DecisionLogEvents.FlushFailed(_logger, exception, _writer.Name, failed, _flushFailures.Total);
            }
        }
    }

    private void ForwardDrops()
    {
        var dropped = Interlocked.Exchange(ref _dropsNotForwarded, 0);
        if (dropped > 0)
        {
            _writer.RecordsDropped(dropped);
        }
    }

    private void ReportDrops()
    {
        var dropped = _drops.TakeDue();
        if (dropped > 0)
        {
            DecisionLogEvents.Dropped(_logger, _writer.Name, dropped, _drops.Total);
        }
    }

    private void ReportFailure(Exception exception)
    {
        var failed = _failures.TakeDue();
        if (failed > 0)
        {
            DecisionLogEvents.WriteFailed(_logger, exception, _writer.Name, failed, _failures.Total);
        }
    }

    /// <summary>
    /// Completes the queue and waits up to the shutdown timeout for queued records, then cancels the
    /// writer and closes it, so a hung destination cannot stop the process from exiting.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _drain.WaitAsync(_shutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            DecisionLogEvents.ShutdownTimedOut(_logger, _writer.Name, _shutdownTimeout);
            await _stopping.CancelAsync().ConfigureAwait(false);
            // NOTE: a writer that ignores its cancellation token keeps this wait going.
            await _drain.ConfigureAwait(false);
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
