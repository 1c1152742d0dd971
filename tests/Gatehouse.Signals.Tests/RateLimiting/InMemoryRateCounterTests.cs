using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class InMemoryRateCounterTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryRateCounter _counter;

    public InMemoryRateCounterTests()
    {
        _counter = new InMemoryRateCounter(_time);
    }

    [Fact]
    public void LookupRate_OneSecond_CountsLastSecond()
    {
        _counter.Increment("client", 5);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _counter.Increment("client", 3);

        Assert.Equal(8, _counter.LookupRate("client", 1));

        _time.SetOffset(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, _counter.LookupRate("client", 1));

        _time.SetOffset(TimeSpan.FromMilliseconds(1499));
        Assert.Equal(3, _counter.LookupRate("client", 1));

        _time.SetOffset(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(0, _counter.LookupRate("client", 1));
    }

    [Fact]
    public void LookupRate_TenSeconds_AveragesWindow()
    {
        for (var second = 0; second < 10; second++)
        {
            _time.SetOffset(TimeSpan.FromSeconds(second));
            _counter.Increment("client", 10);
        }

        _time.SetOffset(TimeSpan.FromSeconds(9.5));
        Assert.Equal(10, _counter.LookupRate("client", 10));

        _time.SetOffset(TimeSpan.FromSeconds(10));
        Assert.Equal(9, _counter.LookupRate("client", 10));

        _time.SetOffset(TimeSpan.FromSeconds(15));
        Assert.Equal(4, _counter.LookupRate("client", 10));
    }

    [Fact]
    public void LookupRate_SixtySeconds_AveragesWindow()
    {
        _counter.Increment("client", 120);
        _time.SetOffset(TimeSpan.FromSeconds(30));
        _counter.Increment("client", 60);

        Assert.Equal(3, _counter.LookupRate("client", 60));

        _time.SetOffset(TimeSpan.FromSeconds(59.9));
        Assert.Equal(3, _counter.LookupRate("client", 60));

        _time.SetOffset(TimeSpan.FromSeconds(60));
        Assert.Equal(1, _counter.LookupRate("client", 60));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(60)]
    public void LookupRate_TrafficStops_ZeroWithinOneWindow(int windowSeconds)
    {
        _time.SetOffset(TimeSpan.FromMilliseconds(300));
        _counter.Increment("client", 10_000);
        Assert.True(_counter.LookupRate("client", windowSeconds) > 0);

        _time.SetOffset(TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(windowSeconds));
        Assert.Equal(0, _counter.LookupRate("client", windowSeconds));
    }

    [Fact]
    public void LookupRate_UnknownEntry_ReturnsZero()
    {
        Assert.Equal(0, _counter.LookupRate("nobody", 10));
    }

    [Fact]
    public void LookupCount_Durations_SumAlignedTenSecondBuckets()
    {
        long delta = 1;
        for (var second = 5; second < 60; second += 10)
        {
            _time.SetOffset(TimeSpan.FromSeconds(second));
            _counter.Increment("client", delta);
            delta *= 2;
        }

        _time.SetOffset(TimeSpan.FromSeconds(57));
        Assert.Equal(32, _counter.LookupCount("client", 10));
        Assert.Equal(48, _counter.LookupCount("client", 20));
        Assert.Equal(56, _counter.LookupCount("client", 30));
        Assert.Equal(60, _counter.LookupCount("client", 40));
        Assert.Equal(62, _counter.LookupCount("client", 50));
        Assert.Equal(63, _counter.LookupCount("client", 60));
    }

    [Fact]
    public void LookupCount_NewBucket_ShiftsWindow()
    {
        long delta = 1;
        for (var second = 5; second < 60; second += 10)
        {
            _time.SetOffset(TimeSpan.FromSeconds(second));
            _counter.Increment("client", delta);
            delta *= 2;
        }

        _time.SetOffset(TimeSpan.FromSeconds(60));
        Assert.Equal(0, _counter.LookupCount("client", 10));
        Assert.Equal(32, _counter.LookupCount("client", 20));
        Assert.Equal(62, _counter.LookupCount("client", 60));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(30)]
    [InlineData(-1)]
    public void LookupRate_InvalidWindow_Throws(int windowSeconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _counter.LookupRate("client", windowSeconds));
        Assert.Contains("1, 10 or 60", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(70)]
    public void LookupCount_InvalidDuration_Throws(int durationSeconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _counter.LookupCount("client", durationSeconds));
        Assert.Contains("10, 20, 30, 40, 50 or 60", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Increment_InvalidDelta_Throws(long delta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _counter.Increment("client", delta));
    }

    [Fact]
    public void Increment_EntryOver256Bytes_Throws()
    {
        var entry = new string('é', 129);

        var error = Assert.Throws<ArgumentException>(() => _counter.Increment(entry, 1));
        Assert.Contains("258 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Increment_EntryOf256Bytes_Counts()
    {
        var entry = new string('é', 128);

        _counter.Increment(entry, 1);

        Assert.Equal(1, _counter.LookupCount(entry, 10));
    }
}
