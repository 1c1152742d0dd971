using System.Collections.Concurrent;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Bounded set of entries that each leave the set at an expiry time, in ticks of UTC time. Lookups read a
/// concurrent dictionary without locking; writes take one lock. A min-heap of expiry times finds expired
/// entries and, when the set contains its maximum, the entry closest to expiry, which a new entry evicts as
/// Fastly's penalty box does.
/// </summary>
/// <remarks>
/// Expired entries are purged lazily by <see cref="TryGetRemaining"/>, and by a sweep of the heap's expired
/// head on every <see cref="Set"/> and <see cref="Count"/>. A re-added entry leaves its old heap item behind;
/// such stale items are skipped when popped and dropped when the heap outgrows twice the set.
/// </remarks>
internal sealed class ExpirySet
{
    private readonly ConcurrentDictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byExpiry = new();
    private readonly Lock _gate = new();
    private readonly int _maxEntries;

    public ExpirySet(int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _maxEntries = maxEntries;
    }

    public int MaxEntries => _maxEntries;

    public int Count(long now)
    {
        lock (_gate)
        {
            PurgeExpiredLocked(now);
            return _expiries.Count;
        }
    }

    public void Set(string entry, long expiry, long now)
    {
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

    /// <summary>Returns the ticks until <paramref name="entry"/> expires, or null when it is not in the set.</summary>
    public long? TryGetRemaining(string entry, long now)
    {
        if (!_expiries.TryGetValue(entry, out var expiry))
        {
            return null;
        }

        if (expiry > now)
        {
            return expiry - now;
        }

        lock (_gate)
        {
            // Removes only the expired value, not one that a concurrent Set has just written.
            _expiries.TryRemove(new KeyValuePair<string, long>(entry, expiry));
        }

        return null;
    }

    public void Remove(string entry)
    {
        lock (_gate)
        {
            // The heap item stays behind as a stale item, like the old item of a re-added entry.
            _expiries.TryRemove(entry, out _);
        }
    }

    /// <summary>Returns every unexpired entry with its expiry.</summary>
    public List<KeyValuePair<string, long>> Snapshot(long now) =>
        _expiries.Where(pair => pair.Value > now).ToList();

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
}
