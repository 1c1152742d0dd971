namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// In-process <see cref="IRateCounter"/>. Each entry keeps 60 one-second slots and 10 slots of 100 ms, so its
/// memory is constant and an increment of an existing entry allocates nothing.
/// </summary>
/// <remarks>
/// <para>Rate estimate. Let q be the slot size: 100 ms for the 1 s window, 1 s for the 10 s and 60 s windows.
/// The rate over window W is the events in the current, partial slot plus the W/q − 1 slots before it,
/// divided by W and rounded down. That span covers between W − q and W of history, so a steady rate reads
/// low by at most q/W (10% for 1 s and 10 s, 1.7% for 60 s) plus the rounding. No event older than W is
/// counted, so the rate of an entry drops to zero at most one window after its last event. Fastly's Edge
/// Rate Limiting documents an under-count of up to 10% for its own estimate.</para>
/// <para>Table. Entries idle for more than 60 s are reclaimed whenever an entry is created or an entry's latest
/// second changes. When the table contains <c>maxEntries</c> entries, creating one more evicts the entry whose
/// latest increment is oldest, at one-second resolution. Each entry has its own lock; a shared lock orders
/// the table and is taken only on creation and at most once per second per entry.</para>
/// </remarks>
public sealed class InMemoryRateCounter : IRateCounter
{
    private const long IdleSeconds = 60;

    private readonly TimeProvider _timeProvider;
    private readonly int _maxEntries;
    private readonly RateCounterTable _table;

    public InMemoryRateCounter(TimeProvider timeProvider, int maxEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeProvider = timeProvider;
        _maxEntries = maxEntries;
        _table = new RateCounterTable(maxEntries, IdleSeconds);
    }

    /// <summary>Number of entries in the table, idle ones not yet reclaimed included.</summary>
    public int Count => _table.Count;

    public int MaxEntries => _maxEntries;

    public void Increment(string entry, long delta)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateDelta(delta);
        var nowTenth = NowTenth();
        var nowSecond = nowTenth / 10;
        while (true)
        {
            var counters = _table.GetOrCreate(entry, nowSecond);
            bool secondChanged;
            lock (counters.Gate)
            {
                if (counters.Removed)
                {
                    continue;
                }

                counters.Add(nowTenth, delta);
                secondChanged = counters.LastTouchSecond != nowSecond;
                counters.LastTouchSecond = nowSecond;
            }

            if (secondChanged)
            {
                _table.Touch(counters, nowSecond);
            }

            return;
        }
    }

    public long LookupRate(string entry, int windowSeconds)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateWindow(windowSeconds);
        if (!_table.TryGet(entry, out var counters))
        {
            return 0;
        }

        var nowTenth = NowTenth();
        lock (counters.Gate)
        {
            if (windowSeconds == 1)
            {
                return counters.SumTenths(nowTenth - RateCounterEntry.TenthSlots + 1, nowTenth);
            }

            var nowSecond = nowTenth / 10;
            return counters.SumSeconds(nowSecond - windowSeconds + 1, nowSecond) / windowSeconds;
        }
    }

    public long LookupCount(string entry, int durationSeconds)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateDuration(durationSeconds);
        if (!_table.TryGet(entry, out var counters))
        {
            return 0;
        }

        var nowSecond = NowTenth() / 10;
        var currentBucketStart = nowSecond - (nowSecond % 10);
        lock (counters.Gate)
        {
            return counters.SumSeconds(currentBucketStart - durationSeconds + 10, nowSecond);
        }
    }

    // Tenths of a second since the Unix epoch. Clocks before 1970 are not supported.
    private long NowTenth() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 100;
}
