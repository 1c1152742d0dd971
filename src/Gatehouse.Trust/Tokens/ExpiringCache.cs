using System.Collections.Concurrent;

namespace Gatehouse.Trust.Tokens;

/// <summary>
/// Bounded map from a token string to the result of validating it, each entry kept until its own expiry.
/// A repeat of a validated token then costs one dictionary lookup instead of a signature check.
/// </summary>
internal sealed class ExpiringCache<TValue>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private int _count;
    private int _evicting;

    public ExpiringCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Approximate number of entries; exact when no writer runs at the same time.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string key, DateTimeOffset now, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > now)
            {
                value = entry.Value;
                return true;
            }

            Remove(key, entry);
        }

        value = default!;
        return false;
    }

    /// <summary>Stores a value until <paramref name="expiresAt"/>; does nothing when that time has passed.</summary>
    public void Set(string key, TValue value, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt <= now)
        {
            return;
        }

        if (Count >= _capacity)
        {
            Evict(now);
        }

        var entry = new Entry(value, expiresAt);
        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[key] = entry;
        }
    }

    // Drops expired entries first. When the cache is still full, arbitrary entries go until a quarter is
    // free, so a full cache is not swept again on every insert. One thread evicts at a time.
    private void Evict(DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _evicting, 1, 0) != 0)
        {
            return;
        }

        try
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAt <= now)
                {
                    Remove(pair.Key, pair.Value);
                }
            }

            var target = _capacity * 3 / 4;
            foreach (var pair in _entries)
            {
                if (Count <= target)
                {
                    break;
                }

                Remove(pair.Key, pair.Value);
            }
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    private void Remove(string key, Entry entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    // A class, not a record, so that removal compares by reference and never drops a newer entry.
    private sealed class Entry(TValue value, DateTimeOffset expiresAt)
    {
        public TValue Value { get; } = value;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }
}
