namespace Gatehouse.Balancer.Caching;

/// <summary>A stored response: status, headers as sent (without framing headers), body, and its lifetime.</summary>
internal sealed record CachedObject(int Status, KeyValuePair<string, string>[] Headers, byte[] Body, DateTimeOffset StoredAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Bytes counted against the cache size: the body plus the header text.</summary>
    public long Size { get; } = Body.Length + Headers.Sum(header => (long)header.Key.Length + header.Value.Length + 4);
}

/// <summary>
/// The objects of one `cache` section, bounded by its total size. Adding an object evicts the least recently
/// used ones until it fits; an expired object is removed when it is looked up.
/// </summary>
internal sealed class ObjectCache(CacheSettings settings, TimeProvider time)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, CachedObject Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CachedObject Value)> _recency = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public CacheSettings Settings { get; } = settings;

    public TimeProvider Time { get; } = time;

    /// <summary>Bytes currently stored.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Returns the fresh object stored under <paramref name="key"/> and marks it recently used; null on a miss.</summary>
    public CachedObject? Get(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node.Value.Value.ExpiresAt <= Time.GetUtcNow())
            {
                Remove(node);
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Value;
        }
    }

    /// <summary>Stores <paramref name="value"/>, replacing an older object with the same key; returns false when it is too large.</summary>
    public bool Put(string key, CachedObject value)
    {
        if (value.Size > Settings.MaxObjectBytes)
        {
            return false;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            while (_bytes + value.Size > Settings.TotalMaxBytes && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }

            _entries[key] = _recency.AddFirst((key, value));
            _bytes += value.Size;
            return true;
        }
    }

    private void Remove(LinkedListNode<(string Key, CachedObject Value)> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Value.Size;
    }
}
