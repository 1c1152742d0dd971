namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>One server's place in <see cref="RoundRobinBalancer"/>: its scaled weight, next position and rounding remainder.</summary>
internal sealed class RoundRobinEntry
{
    public RoundRobinEntry(ServerState server, int weight)
    {
        Server = server;
        Weight = weight;
    }

    public ServerState Server { get; }

    public int Weight { get; }

    public int NextPosition { get; set; }

    public int Remainder { get; set; }

    public long Key { get; set; }

    /// <summary>The queue that contains the entry, or null while it is being picked.</summary>
    public RoundRobinQueue? Queue { get; set; }
}

/// <summary>Entries ordered by key; an entry inserted with an equal key goes after the ones already there.</summary>
internal sealed class RoundRobinQueue
{
    private readonly List<RoundRobinEntry> _entries = [];

    public RoundRobinEntry? First => _entries.Count > 0 ? _entries[0] : null;

    public void Insert(RoundRobinEntry entry, long key)
    {
        entry.Key = key;
        entry.Queue = this;
        var index = 0;
        while (index < _entries.Count && _entries[index].Key <= key)
        {
            index++;
        }

        _entries.Insert(index, entry);
    }

    public void Remove(RoundRobinEntry entry)
    {
        _entries.Remove(entry);
        entry.Queue = null;
    }

    public void Clear() => _entries.Clear();
}
