using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Bounded entry table of <see cref="InMemoryRateCounter"/>: a concurrent dictionary for lookups plus an
/// intrusive list ordered by each entry's latest second, oldest first, for idle reclaim and eviction.
/// </summary>
/// <remarks>Lock order: <c>_orderGate</c> before an entry's gate, never the reverse.</remarks>
internal sealed class RateCounterTable
{
    private readonly ConcurrentDictionary<string, RateCounterEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _orderGate = new();
    private readonly int _maxEntries;
    private readonly long _idleSeconds;
    private RateCounterEntry? _oldest;
    private RateCounterEntry? _newest;
    private int _count;

    public RateCounterTable(int maxEntries, long idleSeconds)
    {
        _maxEntries = maxEntries;
        _idleSeconds = idleSeconds;
    }

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string key, [NotNullWhen(true)] out RateCounterEntry? entry) =>
        _entries.TryGetValue(key, out entry);

    public RateCounterEntry GetOrCreate(string key, long nowSecond)
    {
        if (_entries.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var created = new RateCounterEntry(key, nowSecond);
        lock (_orderGate)
        {
            ReclaimIdleLocked(nowSecond);
            if (_entries.TryGetValue(key, out existing))
            {
                return existing;
            }

            while (_count >= _maxEntries && _oldest is not null)
            {
                RemoveLocked(_oldest);
            }

            _entries[key] = created;
            AppendLocked(created);
            _count++;
            return created;
        }
    }

    /// <summary>Moves an entry whose latest second changed to the newest end, then reclaims idle entries.</summary>
    public void Touch(RateCounterEntry entry, long nowSecond)
    {
        lock (_orderGate)
        {
            if (entry.Linked)
            {
                UnlinkLocked(entry);
                AppendLocked(entry);
            }

            ReclaimIdleLocked(nowSecond);
        }
    }

    private void ReclaimIdleLocked(long nowSecond)
    {
        while (_oldest is not null && TryMarkIdleRemovedLocked(_oldest, nowSecond))
        {
            DropLocked(_oldest);
        }
    }

    // The idle test runs under the entry's gate, so a racing increment either lands first and keeps the entry,
    // or finds Removed set and retries on a new entry. No increment is lost to reclaim.
    private bool TryMarkIdleRemovedLocked(RateCounterEntry entry, long nowSecond)
    {
        lock (entry.Gate)
        {
            if (nowSecond - entry.LastTouchSecond <= _idleSeconds)
            {
                return false;
            }

            entry.Removed = true;
            return true;
        }
    }

    private void RemoveLocked(RateCounterEntry entry)
    {
        lock (entry.Gate)
        {
            entry.Removed = true;
        }

        DropLocked(entry);
    }

    private void DropLocked(RateCounterEntry entry)
    {
        UnlinkLocked(entry);
        _entries.TryRemove(new KeyValuePair<string, RateCounterEntry>(entry.Key, entry));
        _count--;
    }

    private void AppendLocked(RateCounterEntry entry)
    {
        entry.Previous = _newest;
        entry.Next = null;
        if (_newest is null)
        {
            _oldest = entry;
        }
        else
        {
            _newest.Next = entry;
        }

        _newest = entry;
        entry.Linked = true;
    }

    private void UnlinkLocked(RateCounterEntry entry)
    {
        if (entry.Previous is null)
        {
            _oldest = entry.Next;
        }
        else
        {
            entry.Previous.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            _newest = entry.Previous;
        }
        else
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = null;
        entry.Next = null;
        entry.Linked = false;
    }
}
