namespace Gatehouse.Balancer.StickTables;

/// <summary>What an entry of a table shared through `peers` keeps about the other nodes.</summary>
public sealed partial class StickEntry
{
    private int _dirty;

    /// <summary>The other nodes' values from the last exchange with Redis, or null before the first; read under <see cref="Sync"/>.</summary>
    internal RemoteShare? Remote { get; set; }

    /// <summary>Unix milliseconds of the last write of each tag slot (gpt0, server_id), which orders writes across nodes.</summary>
    internal long[]? TagWrittenAt { get; set; }

    /// <summary>Marks the entry as changed since it was last published.</summary>
    internal void MarkDirty() => Volatile.Write(ref _dirty, 1);

    /// <summary>Clears the changed mark and returns whether it was set.</summary>
    internal bool TakeDirty() => Interlocked.Exchange(ref _dirty, 0) == 1;
}

/// <summary>
/// The sum of the other nodes' last published values of one entry: a total per counter slot and each node's rate
/// counter, moved onto this node's table clock so that it decays here as it would on its own node.
/// </summary>
internal sealed class RemoteShare(int storedCount)
{
    private readonly long[] _sums = new long[storedCount];
    private readonly List<FreqCounter>?[] _rates = new List<FreqCounter>?[storedCount];

    public void AddCount(int slot, long value) => _sums[slot] += value;

    public void AddRate(int slot, FreqCounter rate) => (_rates[slot] ??= []).Add(rate);

    /// <summary>Returns the other nodes' part of a counter or rate now; 0 for other kinds, which are not summed.</summary>
    public long Read(int slot, StickDataKind kind, long now, long periodMs)
    {
        if (kind == StickDataKind.Counter)
        {
            return _sums[slot];
        }

        if (kind != StickDataKind.Rate || _rates[slot] is not { } rates)
        {
            return 0;
        }

        long total = 0;
        foreach (var rate in rates)
        {
            total += rate.Read(now, periodMs);
        }

        return total;
    }
}
