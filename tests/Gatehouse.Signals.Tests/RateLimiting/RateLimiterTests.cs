using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class RateLimiterTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryRateCounter _counter;
    private readonly InMemoryPenaltyBox _box;
    private readonly RateLimiter _limiter;

    public RateLimiterTests()
    {
        _counter = new InMemoryRateCounter(_time);
        _box = new InMemoryPenaltyBox(_time);
        _limiter = new RateLimiter(_counter, _box);
    }

    [Fact]
    public void CheckRate_AtLimit_Allows()
    {
        RateDecision decision = default;
        for (var i = 0; i < 10; i++)
        {
            decision = _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));
        }

        Assert.False(decision.Blocked);
        Assert.Equal(10, decision.CurrentRate);
        Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
        Assert.False(_box.Has("client"));
    }

    [Fact]
    public void CheckRate_OverLimit_BlocksUntilTtlEnds()
    {
        for (var i = 0; i < 10; i++)
        {
            _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));
        }

        var blocked = _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));
        Assert.True(blocked.Blocked);
        Assert.Equal(11, blocked.CurrentRate);
        Assert.Equal(TimeSpan.FromMinutes(1), blocked.RetryAfter);
        Assert.True(_box.Has("client"));

        _time.SetOffset(TimeSpan.FromSeconds(30));
        var stillBlocked = _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));
        Assert.True(stillBlocked.Blocked);
        Assert.Equal(1, stillBlocked.CurrentRate);
        Assert.Equal(TimeSpan.FromSeconds(30), stillBlocked.RetryAfter);

        _time.SetOffset(TimeSpan.FromSeconds(59.9));
        Assert.True(_limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1)).Blocked);

        _time.SetOffset(TimeSpan.FromSeconds(60));
        var allowed = _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));
        Assert.False(allowed.Blocked);
        Assert.Equal(TimeSpan.Zero, allowed.RetryAfter);
    }

    [Fact]
    public void CheckRate_TenSeconds_BlocksAtRoundedRate()
    {
        for (var i = 0; i < 109; i++)
        {
            Assert.False(_limiter.CheckRate("client", 1, 10, 10, TimeSpan.FromMinutes(2)).Blocked);
        }

        var decision = _limiter.CheckRate("client", 1, 10, 10, TimeSpan.FromMinutes(2));

        Assert.True(decision.Blocked);
        Assert.Equal(11, decision.CurrentRate);
        Assert.Equal(TimeSpan.FromMinutes(2), decision.RetryAfter);
    }

    [Fact]
    public void CheckRate_StillOverLimitAfterTtl_BlocksAgain()
    {
        for (var i = 0; i < 119; i++)
        {
            Assert.False(_limiter.CheckRate("client", 1, 60, 1, TimeSpan.FromMinutes(1)).Blocked);
        }

        Assert.True(_limiter.CheckRate("client", 1, 60, 1, TimeSpan.FromMinutes(1)).Blocked);
        _time.SetOffset(TimeSpan.FromSeconds(59));
        for (var i = 0; i < 120; i++)
        {
            Assert.True(_limiter.CheckRate("client", 1, 60, 1, TimeSpan.FromMinutes(1)).Blocked);
        }

        _time.SetOffset(TimeSpan.FromSeconds(60));
        var decision = _limiter.CheckRate("client", 1, 60, 1, TimeSpan.FromMinutes(1));

        Assert.True(decision.Blocked);
        Assert.Equal(2, decision.CurrentRate);
        Assert.Equal(TimeSpan.FromMinutes(1), decision.RetryAfter);
    }

    [Fact]
    public void CheckRate_EntryInBox_KeepsExpiry()
    {
        _box.Add("client", TimeSpan.FromMinutes(3));
        _time.SetOffset(TimeSpan.FromMinutes(1));

        var decision = _limiter.CheckRate("client", 1, 60, 1_000, TimeSpan.FromMinutes(10));

        Assert.True(decision.Blocked);
        Assert.Equal(TimeSpan.FromMinutes(2), decision.RetryAfter);
    }

    [Fact]
    public void CheckRate_OtherEntryBlocked_Allows()
    {
        _box.Add("abuser", TimeSpan.FromMinutes(3));

        var decision = _limiter.CheckRate("client", 1, 1, 10, TimeSpan.FromMinutes(1));

        Assert.False(decision.Blocked);
        Assert.Equal(1, decision.CurrentRate);
    }

    [Theory]
    [InlineData(5, 10, 60)]
    [InlineData(1, 0, 60)]
    [InlineData(1, 70_000_001, 60)]
    [InlineData(1, 10, 30)]
    [InlineData(1, 10, 3_700)]
    public void CheckRate_InvalidArgument_ThrowsBeforeCounting(int windowSeconds, long limit, int ttlSeconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => _limiter.CheckRate("client", 1, windowSeconds, limit, TimeSpan.FromSeconds(ttlSeconds)));

        Assert.Equal(0, _counter.LookupCount("client", 60));
    }
}
