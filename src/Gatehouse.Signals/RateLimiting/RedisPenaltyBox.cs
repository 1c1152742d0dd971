using System.Collections.Concurrent;
using Gatehouse.Signals.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// <see cref="IPenaltyBox"/> shared by every node on one Redis: entry <c>e</c> is the key
/// <c>{keyPrefix}pb:{e}</c>, set with <c>SET … PX ttl</c>, so Redis expires it.
/// </summary>
/// <remarks>
/// <para>Local caches, each bounded by <c>maxLocalEntries</c>: entries known to be boxed, with their expiry,
/// and entries found absent, remembered for <c>absentCacheTtl</c> (default 1 s). A lookup never waits for Redis:
/// an entry in neither cache is decided on local knowledge (not boxed) while one background read per entry
/// queries Redis, and its result fills a cache. So an entry boxed by another node is seen here at most
/// <c>absentCacheTtl</c> plus one round trip after its key is written, and Redis gets at most one read per
/// entry per <c>absentCacheTtl</c>, however many requests arrive at once. Blocking request threads on Redis
/// instead starved the thread pool under concurrency.</para>
/// <para>Fail closed: an entry known locally stays boxed until its own expiry whatever Redis says or does.
/// While Redis is unreachable, adds and lookups use the local caches only, no exception reaches the caller,
/// and the outage is logged once. When Redis returns, every locally known entry is written back with
/// <c>SET NX</c> and its remaining TTL, so entries added during the outage or lost by a restarted Redis
/// reach the other nodes again.</para>
/// <para><see cref="Count"/> counts the entries this node knows, not the entries in Redis.</para>
/// </remarks>
public sealed class RedisPenaltyBox : IPenaltyBox, IDisposable
{
    /// <summary>Default time a lookup that found no entry in Redis is trusted.</summary>
    public static readonly TimeSpan DefaultAbsentCacheTtl = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly string _keyPrefix;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisHealth _health;
    private readonly ExpirySet _known;
    private readonly ExpirySet _absent;
    private readonly ConcurrentDictionary<string, bool> _lookups = new(StringComparer.Ordinal);
    private readonly int _maxLookups;
    private readonly long _absentTicks;

    /// <param name="redis">Client; the caller owns and disposes it.</param>
    /// <param name="keyPrefix">Prefix of every key, for example <see cref="RedisOptions.KeyPrefix"/>.</param>
    public RedisPenaltyBox(
        IConnectionMultiplexer redis,
        string keyPrefix,
        TimeProvider timeProvider,
        ILogger? logger = null,
        int maxLocalEntries = 100_000,
        TimeSpan? absentCacheTtl = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var absent = absentCacheTtl ?? DefaultAbsentCacheTtl;
        ArgumentOutOfRangeException.ThrowIfLessThan(absent, TimeSpan.Zero, nameof(absentCacheTtl));
        _redis = redis;
        _keyPrefix = keyPrefix;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _health = new RedisHealth(_logger, "penalty box");
        _known = new ExpirySet(maxLocalEntries);
        _absent = new ExpirySet(maxLocalEntries);
        _maxLookups = maxLocalEntries;
        _absentTicks = absent.Ticks;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    public int Count => _known.Count(NowTicks());

    /// <summary>Number of background Redis reads not finished yet; exposed for tests.</summary>
    internal int PendingLookups => _lookups.Count;

    public void Add(string entry, TimeSpan ttl)
    {
        ErlLimits.ValidateEntry(entry);
        var truncated = ErlLimits.NormalizePenaltyTtl(ttl, nameof(ttl));
        var now = NowTicks();
        _known.Set(entry, now + truncated.Ticks, now);
        _absent.Remove(entry);
        if (!_redis.IsConnected)
        {
            _health.ReportFailure(null);
            return;
        }

        var write = _redis.GetDatabase().StringSetAsync(Key(entry), 1, truncated);
        _ = ObserveAsync(write);
    }

    public bool Has(string entry) => RemainingTtl(entry) is not null;

    public TimeSpan? RemainingTtl(string entry)
    {
        ErlLimits.ValidateEntry(entry);
        var now = NowTicks();
        if (_known.TryGetRemaining(entry, now) is { } known)
        {
            return TimeSpan.FromTicks(known);
        }

        if (_absent.TryGetRemaining(entry, now) is null)
        {
            StartRemoteLookup(entry);
        }

        return null;
    }

    public void Dispose() => _redis.ConnectionRestored -= OnConnectionRestored;

    // One read per entry at a time; the number in flight is bounded like the caches.
    private void StartRemoteLookup(string entry)
    {
        if (!_redis.IsConnected)
        {
            _health.ReportFailure(null);
            return;
        }

        if (_lookups.Count >= _maxLookups || !_lookups.TryAdd(entry, true))
        {
            return;
        }

        _ = LookUpAsync(entry);
    }

    private async Task LookUpAsync(string entry)
    {
        try
        {
            var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(Key(entry)).ConfigureAwait(false);
            var now = NowTicks();
            if (ttl is { } remaining && remaining > TimeSpan.Zero)
            {
                _known.Set(entry, now + remaining.Ticks, now);
            }
            else
            {
                _absent.Set(entry, now + _absentTicks, now);
            }

            if (_health.ReportSuccess())
            {
                await ResendKnownAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
        }
        finally
        {
            _lookups.TryRemove(entry, out _);
        }
    }

    private async Task ObserveAsync(Task write)
    {
        try
        {
            await write;
            if (_health.ReportSuccess())
            {
                await ResendKnownAsync();
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = ResendKnownAsync();

    // Writes only keys that are missing, so an expiry that another node set later is not shortened.
    private async Task ResendKnownAsync()
    {
        var now = NowTicks();
        var known = _known.Snapshot(now);
        if (known.Count == 0)
        {
            return;
        }

        try
        {
            var database = _redis.GetDatabase();
            var writes = known.Select(pair => database.StringSetAsync(
                Key(pair.Key), 1, TimeSpan.FromTicks(pair.Value - now), When.NotExists)).ToList();
            await Task.WhenAll(writes);
            SignalsLog.PenaltyEntriesResent(_logger, writes.Count(write => write.Result));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
        }
    }

    private RedisKey Key(string entry) => _keyPrefix + "pb:" + entry;

    private long NowTicks() => _timeProvider.GetUtcNow().UtcTicks;
}
