namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// One key of a stick table and the values stored for it. Values are read and changed through the owning
/// <see cref="StickTable"/>, which holds the clock and knows which data types are stored; each access takes
/// the entry's lock briefly and never across an await.
/// </summary>
public sealed partial class StickEntry
{
    private int _references;

    internal StickEntry(string key, long id, int storedCount)
    {
        Key = key;
        Id = id;
        Values = new long[storedCount];
        Rates = new FreqCounter[storedCount];
    }

    /// <summary>The normalized key: an address, an integer in decimal, or the (truncated) string.</summary>
    public string Key { get; }

    /// <summary>A number unique within the table, which `show table` prints where HAProxy prints the entry address.</summary>
    internal long Id { get; }

    internal Lock Sync { get; } = new();

    /// <summary>Counter, gauge and tag values by stored-type index; unused for rates.</summary>
    internal long[] Values { get; }

    /// <summary>Rate counters by stored-type index; unused for other kinds.</summary>
    internal FreqCounter[] Rates { get; }

    /// <summary>The table-clock millisecond after which an unreferenced entry may be purged; 0 when the table has no expire.</summary>
    internal long ExpiresAt { get; set; }

    /// <summary>The table-clock millisecond of the last update, which orders eviction from a full table.</summary>
    internal long TouchedAt { get; set; }

    /// <summary>Set once the entry has left the table, so a late release does not touch a purged entry.</summary>
    internal bool Removed { get; set; }

    /// <summary>How many in-flight requests track this entry; a referenced entry is never purged or evicted.</summary>
    public int References => Volatile.Read(ref _references);

    internal void AddReference() => Interlocked.Increment(ref _references);

    internal void RemoveReference() => Interlocked.Decrement(ref _references);
}

/// <summary>One stored value of an entry: the data type, its period for rates (0 otherwise) and the value read now.</summary>
public readonly record struct StickDataValue(StickDataType Type, long PeriodMs, long Value);

/// <summary>What <see cref="StickTable.Watch"/> reports: the entry's key, the watched value, and every stored value after the update.</summary>
public sealed record StickTableChange(string Table, string Key, StickDataType Type, long Value, IReadOnlyList<StickDataValue> Values);
