using System.Collections.Concurrent;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>An in-memory KV store: keys map to a value, metadata and a generation that grows on each write.</summary>
public sealed class KvStore
{
    private readonly ConcurrentDictionary<string, KvEntry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public void Put(string key, byte[] value, string? metadata = null) =>
        _entries[key] = new KvEntry(value, metadata, Interlocked.Increment(ref _generation));

    public KvEntry? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry : null;

    public bool Delete(string key) => _entries.TryRemove(key, out _);

    public IReadOnlyList<string> Keys(string? prefix) =>
        _entries.Keys.Where(k => prefix is null || k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
}

/// <summary>One KV value with its metadata and generation.</summary>
public sealed record KvEntry(byte[] Value, string? Metadata, long Generation);
