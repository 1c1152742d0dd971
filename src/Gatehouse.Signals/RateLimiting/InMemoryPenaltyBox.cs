using System.Collections.Concurrent;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// In-process <see cref="IPenaltyBox"/>. Lookups read a concurrent dictionary without locking; writes take one
/// lock. A min-heap of expiry times finds expired entries and, when the box contains <c>maxEntries</c> entries,
/// the entry closest to expiry, which a new entry evicts as Fastly's penalty box does.
/// </summary>
/// <remarks>
/// Expired entries are purged lazily by <see cref="Has"/> and <see cref="RemainingTtl"/>, and by a sweep of
/// the heap's expired head on every <see cref="Add"/> and <see cref="Count"/>. A re-added entry leaves its old
/// heap item behind; such stale items are skipped when popped and dropped when the heap outgrows twice the box.
/// </remarks>
public sealed class InMemoryPenaltyBox : IPenaltyBox
{
    private readonly ConcurrentDictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byExpiry = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _maxEntries;

    public InMemoryPenaltyBox(TimeProvider timeProvider, int maxEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeProvider = timeProvider;
        _maxEntries = maxEntries;
    }

    public int MaxEntries => _maxEntries;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                PurgeExpiredLocked(NowTicks());
                return _expiries.Count;
            }
        }
    }

    public void Add(string entry, TimeSpan ttl)
    {
        ErlLimits.ValidateEntry(entry);
        var truncated = ErlLimits.NormalizePenaltyTtl(ttl, nameof(ttl));
        var now = NowTicks();
        var expiry = now + truncated.Ticks;
        lock (_gate)
        {
            PurgeExpiredLocked(now);
            if (!_expiries.ContainsKey(entry) && _expiries.Count >= _maxEntries)
            {
                EvictClosestToExpiryLocked();
            }

            _expiries[entry] = expiry;
            _byExpiry.Enqueue(entry, expiry);
            CompactIfStaleLocked();
        }
    }

    public bool Has(string entry) => RemainingTtl(entry) is not null;

    public TimeSpan? RemainingTtl(string entry)
    {
        ErlLimits.ValidateEntry(entry);
        if (!_expiries.TryGetValue(entry, out var expiry))
        {
            return null;
        }

        var now = NowTicks();
        if (expiry > now)
        {
            return TimeSpan.FromTicks(expiry - now);
        }

        lock (_gate)
        {
            // Removes only the expired value, not one that a concurrent Add has just written.
            _expiries.TryRemove(new KeyValuePair<string, long>(entry, expiry));
        }

        return null;
    }

    private void PurgeExpiredLocked(long now)
    {
        while (_byExpiry.TryPeek(out var entry, out var expiry) && expiry <= now)
        {
            _byExpiry.Dequeue();
            _expiries.TryRemove(new KeyValuePair<string, long>(entry, expiry));
        }
    }

    // Pops heap items until one still matches its entry's current expiry, and removes that entry.
    private void EvictClosestToExpiryLocked()
    {
        while (_byExpiry.TryDequeue(out var entry, out var expiry))
        {
            if (_expiries.TryRemove(new KeyValuePair<string, long>(entry, expiry)))
            {
                return;
            }
        }
    }

    private void CompactIfStaleLocked()
    {
        if (_byExpiry.Count <= (2 * _expiries.Count) + 16)
        {
            return;
        }

        _byExpiry.Clear();
        foreach (var pair in _expiries)
        {
            _byExpiry.Enqueue(pair.Key, pair.Value);
        }
    }

    private long NowTicks() => _timeProvider.GetUtcNow().UtcTicks;
}
