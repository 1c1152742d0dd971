using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class RateCounterTableTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Table_EntryIdleOverSixtySeconds_Reclaimed()
    {
        var counter = new InMemoryRateCounter(_time);
        counter.Increment("idle", 1);

        _time.SetOffset(TimeSpan.FromSeconds(61));
        counter.Increment("fresh", 1);

        Assert.Equal(1, counter.Count);
        Assert.Equal(0, counter.LookupCount("idle", 60));
    }

    [Fact]
    public void Table_EntryIdleSixtySeconds_Kept()
    {
        var counter = new InMemoryRateCounter(_time);
        counter.Increment("recent", 1);

        _time.SetOffset(TimeSpan.FromSeconds(60));
        counter.Increment("fresh", 1);

        Assert.Equal(2, counter.Count);
    }

    [Fact]
    public void Table_Full_EvictsLeastRecentlyUpdated()
    {
        var counter = new InMemoryRateCounter(_time, maxEntries: 3);
        counter.Increment("a", 1);
        _time.SetOffset(TimeSpan.FromSeconds(1));
        counter.Increment("b", 1);
        _time.SetOffset(TimeSpan.FromSeconds(2));
        counter.Increment("c", 1);
        _time.SetOffset(TimeSpan.FromSeconds(3));
        counter.Increment("a", 1);

        _time.SetOffset(TimeSpan.FromSeconds(4));
        counter.Increment("d", 1);

        Assert.Equal(3, counter.Count);
        Assert.Equal(0, counter.LookupCount("b", 10));
        Assert.Equal(2, counter.LookupCount("a", 10));
        Assert.Equal(1, counter.LookupCount("c", 10));
        Assert.Equal(1, counter.LookupCount("d", 10));
    }

    [Fact]
    public void Table_EvictedEntryIncrementedAgain_StartsFromZero()
    {
        var counter = new InMemoryRateCounter(_time, maxEntries: 1);
        counter.Increment("a", 5);
        _time.SetOffset(TimeSpan.FromSeconds(1));
        counter.Increment("b", 1);

        _time.SetOffset(TimeSpan.FromSeconds(2));
        counter.Increment("a", 1);

        Assert.Equal(1, counter.Count);
        Assert.Equal(1, counter.LookupCount("a", 10));
        Assert.Equal(0, counter.LookupCount("b", 10));
    }

    [Fact]
    public void Increment_ManyThreads_CountsExactTotal()
    {
        const int threadCount = 4;
        const int incrementsPerThread = 20_000;
        var counter = new InMemoryRateCounter(_time);
        using var start = new Barrier(threadCount);
        var threads = Enumerable.Range(0, threadCount)
            .Select(index => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < incrementsPerThread; i++)
                {
                    counter.Increment("shared", 1);
                    counter.Increment($"own-{index}-{i % 50}", 1);
                }
            }))
            .ToList();

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(threadCount * incrementsPerThread, counter.LookupCount("shared", 60));
        Assert.Equal(incrementsPerThread / 50, counter.LookupCount("own-0-0", 60));
        Assert.Equal(1 + (threadCount * 50), counter.Count);
    }

    [Fact]
    public void Increment_ManyThreadsAcrossSeconds_CountsExactTotal()
    {
        const int threadCount = 4;
        const int incrementsPerThread = 5_000;
        var counter = new InMemoryRateCounter(_time, maxEntries: 8);
        using var start = new Barrier(threadCount);
        var threads = Enumerable.Range(0, threadCount)
            .Select(index => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < incrementsPerThread; i++)
                {
                    counter.Increment("shared", 1);
                    if (index == 0 && i % 1_000 == 999)
                    {
                        // Moves the clock within one 10 s bucket so the shared lock and idle reclaim run too.
                        _time.Advance(TimeSpan.FromSeconds(1));
                    }
                }
            }))
            .ToList();

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(threadCount * incrementsPerThread, counter.LookupCount("shared", 60));
    }

    [Fact]
    public void Increment_ExistingEntry_AllocatesNothing()
    {
        var counter = new InMemoryRateCounter(_time);
        counter.Increment("client", 1);
        counter.LookupRate("client", 1);
        for (var i = 0; i < 1_000; i++)
        {
            counter.Increment("client", 1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            counter.Increment("client", 1);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2_001, counter.LookupCount("client", 10));
    }

    [Fact]
    public void Increment_ExistingEntryNewSecond_AllocatesNothing()
    {
        var counter = new InMemoryRateCounter(_time);
        counter.Increment("client", 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        counter.Increment("client", 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(7));
            counter.Increment("client", 1);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
