using System.Collections.Concurrent;
using Gatehouse.Signals.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// <see cref="IRateCounter"/> shared by every node on one Redis, with the windows and rounding of
/// <see cref="InMemoryRateCounter"/>. Increments stay local and a background flush sends them every
/// <c>flushInterval</c> (default 100 ms), so the request path never waits for Redis.
/// </summary>
/// <remarks>
/// <para>Storage: entry <c>e</c> is the hash <c>{keyPrefix}rc:{e}</c> with one field per Unix second
/// (<c>s…</c>) and per tenth of a second (<c>t…</c>). One script call per entry adds the node's deltas,
/// deletes fields older than any window, sets the hash to expire 61 s after its last write, and returns the
/// hash. All entries of one flush are sent in one pipeline.</para>
/// <para>Estimate: global counts from the last flush plus this node's deltas not yet in them. So a node
/// lacks only the events that other nodes counted after their own last flush before this node's last flush
/// read the hash: at most the other nodes' events over two flush intervals plus two round trips. An entry new
/// to this node starts from its local count and gets the global count at the next flush. After every node
/// has flushed twice with no new events, every node reads the exact global count.</para>
/// <para>Redis unreachable: lookups read the last global counts plus every local delta since, which age out
/// of the windows as usual, and deltas are kept (61 s at most) and sent when Redis returns. Callers never see
/// a Redis exception, and the outage is logged once. A Redis restarted without persistence has lost the
/// counts, so the shared estimate restarts from the deltas sent after the restart.</para>
/// </remarks>
public sealed partial class RedisRateCounter : IRateCounter, IAsyncDisposable
{
    /// <summary>Default time between two flushes.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(100);

    private const long KeyTtlMilliseconds = BucketCounts.KeptSeconds * 1000;

    private readonly ConcurrentDictionary<string, SharedRateEntry> _entries = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer _redis;
    private readonly string _keyPrefix;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxEntries;
    private readonly RedisHealth _health;
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _flushLoop;
    private int _flushesCompleted;

    /// <param name="redis">Connected client; the caller owns and disposes it.</param>
    /// <param name="keyPrefix">Prefix of every key, for example <see cref="RedisOptions.KeyPrefix"/>.</param>
    /// <param name="flushInterval">Time between flushes; <see cref="Timeout.InfiniteTimeSpan"/> flushes only
    /// when <see cref="FlushAsync"/> is called. Default <see cref="DefaultFlushInterval"/>.</param>
    public RedisRateCounter(
        IConnectionMultiplexer redis,
        string keyPrefix,
        TimeProvider timeProvider,
        ILogger? logger = null,
        TimeSpan? flushInterval = null,
        int maxEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        var interval = flushInterval ?? DefaultFlushInterval;
        if (interval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(1), nameof(flushInterval));
        }

        _redis = redis;
        _keyPrefix = keyPrefix;
        _timeProvider = timeProvider;
        _maxEntries = maxEntries;
        _health = new RedisHealth(logger ?? NullLogger.Instance, "rate counters");
        FlushInterval = interval;
        _flushLoop = interval == Timeout.InfiniteTimeSpan ? Task.CompletedTask : Task.Run(() => RunFlushLoopAsync(interval));
    }

    public TimeSpan FlushInterval { get; }

    /// <summary>Number of entries this node tracks, idle ones not yet reclaimed included.</summary>
    public int Count => _entries.Count;

    /// <summary>Number of flushes finished, successful or not; exposed for tests.</summary>
    internal int FlushesCompleted => Volatile.Read(ref _flushesCompleted);

    public void Increment(string entry, long delta)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateDelta(delta);
        var nowTenth = NowTenth();
        while (true)
        {
            var shared = GetOrCreate(entry, nowTenth / 10);
            lock (shared.Gate)
            {
                if (shared.Removed)
                {
                    continue;
                }

                shared.Pending.Add(nowTenth, delta);
                shared.LastUseSecond = nowTenth / 10;
                return;
            }
        }
    }

    public long LookupRate(string entry, int windowSeconds)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateWindow(windowSeconds);
        var nowTenth = NowTenth();
        var nowSecond = nowTenth / 10;

        // A lookup of an entry this node never counted still tracks it, so the next flush fetches its global count.
        var shared = GetOrCreate(entry, nowSecond);
        lock (shared.Gate)
        {
            // A removed entry has nothing unsent, so its counts are still a valid result.
            shared.LastUseSecond = nowSecond;
            if (windowSeconds == 1)
            {
                return shared.SumTenths(nowTenth - RateCounterEntry.TenthSlots + 1, nowTenth);
            }

            return shared.SumSeconds(nowSecond - windowSeconds + 1, nowSecond) / windowSeconds;
        }
    }

    public long LookupCount(string entry, int durationSeconds)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateDuration(durationSeconds);
        var nowSecond = NowTenth() / 10;
        var currentBucketStart = nowSecond - (nowSecond % 10);
        var shared = GetOrCreate(entry, nowSecond);
        lock (shared.Gate)
        {
            shared.LastUseSecond = nowSecond;
            return shared.SumSeconds(currentBucketStart - durationSeconds + 10, nowSecond);
        }
    }

    /// <summary>
    /// Sends every entry's unsent deltas to Redis in one pipeline and refreshes the global counts, now.
    /// Does not throw for a <see cref="RedisException"/> or a timeout. The deltas stay queued for the next
    /// flush and the outage is logged once.
    /// </summary>
    public async Task FlushAsync()
    {
        await _flushGate.WaitAsync();
        try
        {
            await FlushOnceAsync();
        }
        finally
        {
            Interlocked.Increment(ref _flushesCompleted);
            _flushGate.Release();
        }
    }

    /// <summary>Stops the background flush, then flushes once more so the last deltas reach Redis if it is up.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _flushLoop;
        await FlushAsync();
        _stopping.Dispose();
    }

    private async Task RunFlushLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal stops the loop; DisposeAsync runs the final flush.
        }
    }

    private SharedRateEntry GetOrCreate(string entry, long nowSecond)
    {
        if (_entries.TryGetValue(entry, out var existing))
        {
            return existing;
        }

        if (_entries.Count >= _maxEntries)
        {
            EvictOne();
        }

        return _entries.GetOrAdd(entry, new SharedRateEntry(entry, nowSecond));
    }

    // NOTE: a full table evicts an arbitrary entry with nothing unsent, not the least recently used one.
    private void EvictOne()
    {
        foreach (var shared in _entries.Values)
        {
            lock (shared.Gate)
            {
                if (shared.HasUnsent)
                {
                    continue;
                }

                shared.Removed = true;
                _entries.TryRemove(new KeyValuePair<string, SharedRateEntry>(shared.Key, shared));
                return;
            }
        }
    }

    // Tenths of a second since the Unix epoch. Clocks before 1970 are not supported.
    private long NowTenth() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 100;
}
