using System.Collections.Concurrent;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// A stick table: entries by normalized key, bounded by `size` and purged `expire` after their last update.
/// Lookups take no lock; creating or removing an entry takes the table lock briefly.
/// </summary>
public sealed partial class StickTable
{
    private readonly ConcurrentDictionary<string, StickEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _membership = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _expireMs;
    private readonly int[] _slotOf;
    private int _count;
    private long _nextId;

    internal StickTable(StickTableDefinition definition, TimeProvider time)
    {
        Definition = definition;
        _time = time;
        _origin = time.GetTimestamp();
        _expireMs = definition.Expire is { } expire ? (long)expire.TotalMilliseconds : 0;
        _slotOf = new int[StickDataTypes.Count];
        Array.Fill(_slotOf, -1);
        for (var i = 0; i < definition.Stored.Count; i++)
        {
            _slotOf[(int)definition.Stored[i].Type] = i;
        }
    }

    public string Name => Definition.Name;

    public StickTableDefinition Definition { get; }

    /// <summary>The number of entries now, as `table_cnt` returns and `show table` prints after "used:".</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Milliseconds on the table clock, which starts at 0 when the table is built.</summary>
    internal long NowMs => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    /// <summary>True when the table stores <paramref name="type"/>.</summary>
    public bool Stores(StickDataType type) => _slotOf[(int)type] >= 0;

    /// <summary>Returns the entry for an already normalized key, or null when there is none or it has expired.</summary>
    internal StickEntry? Lookup(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        return IsExpired(entry, NowMs) ? null : entry;
    }

    /// <summary>
    /// Returns the entry for a normalized key, creating it when missing. Returns null when the table is full and
    /// nothing can be evicted: with `nopurge`, or when every entry is referenced by a request in flight.
    /// </summary>
    internal StickEntry? GetOrCreate(string key)
    {
        var now = NowMs;
        if (_entries.TryGetValue(key, out var found) && !IsExpired(found, now))
        {
            return found;
        }

        lock (_membership)
        {
            if (_entries.TryGetValue(key, out found))
            {
                if (!IsExpired(found, now))
                {
                    return found;
                }

                RemoveLocked(found);
            }

            if (_count >= Definition.Size && !MakeRoomLocked(now))
            {
                return null;
            }

            var entry = new StickEntry(key, ++_nextId, Definition.Stored.Count) { ExpiresAt = ExpiryFrom(now), TouchedAt = now };
            _entries[key] = entry;
            _count++;
            return entry;
        }
    }

    /// <summary>Removes the entry for a normalized key unless a request in flight references it; returns true when removed.</summary>
    internal bool Remove(string key)
    {
        lock (_membership)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.References > 0)
            {
                return false;
            }

            RemoveLocked(entry);
            return true;
        }
    }

    /// <summary>Removes every unreferenced entry, as `clear table` does; returns how many were removed.</summary>
    internal int Clear() => RemoveWhere(entry => entry.References == 0);

    /// <summary>Removes expired unreferenced entries; returns how many were removed.</summary>
    internal int Purge()
    {
        var now = NowMs;
        return RemoveWhere(entry => IsExpired(entry, now));
    }

    /// <summary>The live entries, in no particular order; a snapshot safe to enumerate while requests update the table.</summary>
    internal IEnumerable<StickEntry> Entries
    {
        get
        {
            var now = NowMs;
            return _entries.Values.Where(entry => !IsExpired(entry, now));
        }
    }

    private bool IsExpired(StickEntry entry, long now) => _expireMs > 0 && entry.References == 0 && now >= entry.ExpiresAt;

    private long ExpiryFrom(long now) => _expireMs > 0 ? now + _expireMs : 0;

    private int RemoveWhere(Func<StickEntry, bool> predicate)
    {
        lock (_membership)
        {
            var victims = _entries.Values.Where(predicate).ToList();
            foreach (var entry in victims)
            {
                RemoveLocked(entry);
            }

            return victims.Count;
        }
    }

    private void RemoveLocked(StickEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, StickEntry>(entry.Key, entry)))
        {
            entry.Removed = true;
            _count--;
        }
    }

    // Called with the table full. Expired entries go first; then, unless the table is `nopurge`, the least recently
    // updated unreferenced entries, which are also the ones that expire soonest. Several go at once, as in HAProxy, so a
    // table at its size limit does not scan on every new key.
    private bool MakeRoomLocked(long now)
    {
        foreach (var entry in _entries.Values)
        {
            if (IsExpired(entry, now))
            {
                RemoveLocked(entry);
            }
        }

        if (_count < Definition.Size)
        {
            return true;
        }

        if (Definition.NoPurge)
        {
            return false;
        }

        var batch = Math.Clamp(Definition.Size / 16, 1, 1024);
        var oldest = _entries.Values
            .Where(entry => entry.References == 0)
            .OrderBy(entry => entry.TouchedAt)
            .ThenBy(entry => entry.Id)
            .Take(batch)
            .ToList();
        foreach (var entry in oldest)
        {
            RemoveLocked(entry);
        }

        return _count < Definition.Size;
    }
}
