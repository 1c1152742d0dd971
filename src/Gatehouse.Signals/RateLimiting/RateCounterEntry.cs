namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Fixed-size counters for one rate counter entry: 60 one-second slots and 10 slots of 100 ms.
/// Each slot records which second (or tenth of a second) it counts, so a stale slot reads as zero and is
/// reset on its next write, and no clearing pass is needed. Callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class RateCounterEntry
{
    public const int SecondSlots = 60;
    public const int TenthSlots = 10;

    private readonly Slot[] _seconds = new Slot[SecondSlots];
    private readonly Slot[] _tenths = new Slot[TenthSlots];

    public RateCounterEntry(string key, long nowSecond)
    {
        Key = key;
        LastTouchSecond = nowSecond;
    }

    public string Key { get; }

    public Lock Gate { get; } = new();

    /// <summary>Unix second of the latest increment; orders the table for idle reclaim and eviction.</summary>
    public long LastTouchSecond { get; set; }

    /// <summary>Set under <see cref="Gate"/> once the table dropped this entry; writers then retry.</summary>
    public bool Removed { get; set; }

    // Intrusive links of the table's least-recently-updated list, guarded by the table's order lock.
    public RateCounterEntry? Previous { get; set; }

    public RateCounterEntry? Next { get; set; }

    public bool Linked { get; set; }

    public void Add(long nowTenth, long delta)
    {
        Bump(_seconds, nowTenth / 10, delta);
        Bump(_tenths, nowTenth, delta);
    }

    /// <summary>Sums the one-second slots for Unix seconds <paramref name="first"/> to <paramref name="last"/>.</summary>
    public long SumSeconds(long first, long last) => Sum(_seconds, first, last);

    /// <summary>Sums the 100 ms slots for tenth-of-a-second indexes <paramref name="first"/> to <paramref name="last"/>.</summary>
    public long SumTenths(long first, long last) => Sum(_tenths, first, last);

    private static void Bump(Slot[] slots, long stamp, long delta)
    {
        ref var slot = ref slots[(int)(stamp % slots.Length)];
        if (slot.Stamp != stamp)
        {
            slot.Stamp = stamp;
            slot.Count = 0;
        }

        slot.Count += delta;
    }

    private static long Sum(Slot[] slots, long first, long last)
    {
        long total = 0;
        foreach (var slot in slots)
        {
            if (slot.Stamp >= first && slot.Stamp <= last)
            {
                total += slot.Count;
            }
        }

        return total;
    }

    private struct Slot
    {
        public long Stamp;
        public long Count;
    }
}
