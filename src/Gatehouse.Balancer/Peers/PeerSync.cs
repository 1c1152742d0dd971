using Gatehouse.Balancer.StickTables;
using Gatehouse.Signals.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gatehouse.Balancer.Peers;

/// <summary>
/// Shares the stick tables of one `peers` section with the other nodes through Redis. Every flush interval
/// (100 ms) one pipeline publishes this node's own values of each entry changed since the last flush and reads
/// back every node's values of each live entry. The request path never waits for Redis.
/// </summary>
/// <remarks>
/// <para>Storage: entry K of table T is the hash <c>{prefix}st:{peers}:{T}:{K}</c>. Field <c>n|NODE|TYPE</c> holds
/// a node's own counter total, or its rate counter state; field <c>t|TYPE</c> holds the last written tag value with
/// its write time and node. The hash expires after the table's `expire` (24 hours without one) from its last
/// publication.</para>
/// <para>Reads: counters (gpc0, gpc1, *_cnt) and rates are this node's own value plus the other nodes' last
/// published values; conn_cur stays this node's own. Tags (gpt0, server_id) are last writer wins by write time.
/// An entry new to this node reads only its own values until the next flush.</para>
/// <para>Redis unreachable: the tables keep counting locally and keep the other nodes' last values, the outage is
/// logged once and the return once, and changed entries are published when Redis returns.</para>
/// </remarks>
internal sealed partial class PeerSync : IAsyncDisposable
{
    /// <summary>Default time between two exchanges with Redis.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly PeersSection _section;
    private readonly RedisOptions _options;
    private readonly IReadOnlyList<StickTable> _tables;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private ConnectionMultiplexer? _redis;
    private int _down;
    private int _flushesCompleted;

    private PeerSync(PeersSection section, IReadOnlyList<StickTable> tables, string nodeId, TimeProvider time, ILogger logger)
    {
        _section = section;
        _options = section.Redis!;
        _tables = tables;
        NodeId = nodeId;
        _time = time;
        _logger = logger;
    }

    /// <summary>The id under which this node publishes its values.</summary>
    public string NodeId { get; }

    /// <summary>The number of exchanges finished, successful or not; for tests.</summary>
    public int FlushesCompleted => Volatile.Read(ref _flushesCompleted);

    /// <summary>True while Redis is unreachable.</summary>
    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>Connects in the background and starts exchanging every <paramref name="interval"/>.</summary>
    public static PeerSync Start(
        PeersSection section, IReadOnlyList<StickTable> tables, string nodeId, TimeProvider time, ILogger logger, TimeSpan? interval = null)
    {
        var sync = new PeerSync(section, tables, nodeId, time, logger);
        var names = string.Join(",", tables.Select(table => table.Name));
        PeersLog.Sharing(logger, names, section.Name, string.Join(",", sync._options.Endpoints), nodeId);
        sync._loop = Task.Run(() => sync.RunAsync(interval ?? DefaultFlushInterval));
        return sync;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        try
        {
            // The client never aborts on a failed connect; it keeps reconnecting in the background.
            _redis = await ConnectionMultiplexer.ConnectAsync(_options.ToConfigurationOptions());
            using var timer = new PeriodicTimer(interval, _time);
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await ExchangeAsync();
                Interlocked.Increment(ref _flushesCompleted);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal stops the loop.
        }
        catch (RedisException exception)
        {
            // Reached only when the client cannot be created at all; the tables then stay local.
            ReportFailure(exception);
        }
    }

    private void ReportFailure(Exception? exception)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            PeersLog.RedisLost(_logger, exception, _section.Name);
        }
    }

    private void ReportSuccess()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            PeersLog.RedisRestored(_logger, _section.Name);
        }
    }
}
