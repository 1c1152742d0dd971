using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class InMemoryPenaltyBoxTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryPenaltyBox _box;

    public InMemoryPenaltyBoxTests()
    {
        _box = new InMemoryPenaltyBox(_time);
    }

    [Fact]
    public void Has_BeforeTtlEnds_ReturnsTrue()
    {
        _box.Add("client", TimeSpan.FromMinutes(5));

        _time.SetOffset(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.True(_box.Has("client"));
        Assert.Equal(TimeSpan.FromSeconds(1), _box.RemainingTtl("client"));
        Assert.Equal(1, _box.Count);
    }

    [Fact]
    public void Has_TtlEnded_ReturnsFalse()
    {
        _box.Add("client", TimeSpan.FromMinutes(5));

        _time.SetOffset(TimeSpan.FromMinutes(5));

        Assert.False(_box.Has("client"));
        Assert.Null(_box.RemainingTtl("client"));
        Assert.Equal(0, _box.Count);
    }

    [Fact]
    public void Has_UnknownEntry_ReturnsFalse()
    {
        Assert.False(_box.Has("nobody"));
        Assert.Null(_box.RemainingTtl("nobody"));
    }

    [Theory]
    [InlineData(90, 60)]
    [InlineData(60, 60)]
    [InlineData(119, 60)]
    [InlineData(3_659, 3_600)]
    public void Add_TtlNotWholeMinutes_TruncatedToMinute(int ttlSeconds, int expectedSeconds)
    {
        _box.Add("client", TimeSpan.FromSeconds(ttlSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), _box.RemainingTtl("client"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    [InlineData(-60)]
    [InlineData(3_660)]
    public void Add_TtlOutsideOneToSixtyMinutes_Throws(int ttlSeconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _box.Add("client", TimeSpan.FromSeconds(ttlSeconds)));

        Assert.Equal("ttl", error.ParamName);
        Assert.Contains("between 1 and 60 minutes", error.Message, StringComparison.Ordinal);
        Assert.False(_box.Has("client"));
    }

    [Fact]
    public void Add_ExistingEntry_ResetsExpiry()
    {
        _box.Add("client", TimeSpan.FromMinutes(10));
        _time.SetOffset(TimeSpan.FromMinutes(1));

        _box.Add("client", TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromMinutes(2), _box.RemainingTtl("client"));
        _time.SetOffset(TimeSpan.FromMinutes(3));
        Assert.False(_box.Has("client"));
    }

    [Fact]
    public void Add_BoxFull_EvictsEntryClosestToExpiry()
    {
        var box = new InMemoryPenaltyBox(_time, maxEntries: 3);
        box.Add("a", TimeSpan.FromMinutes(10));
        box.Add("b", TimeSpan.FromMinutes(2));
        box.Add("c", TimeSpan.FromMinutes(30));

        box.Add("d", TimeSpan.FromMinutes(5));

        Assert.Equal(3, box.Count);
        Assert.False(box.Has("b"));
        Assert.True(box.Has("a"));
        Assert.True(box.Has("c"));
        Assert.True(box.Has("d"));
    }

    [Fact]
    public void Add_BoxFullWithExpired_PurgesExpired()
    {
        var box = new InMemoryPenaltyBox(_time, maxEntries: 2);
        box.Add("short", TimeSpan.FromMinutes(1));
        box.Add("long", TimeSpan.FromMinutes(30));
        _time.SetOffset(TimeSpan.FromMinutes(2));

        box.Add("new", TimeSpan.FromMinutes(20));

        Assert.Equal(2, box.Count);
        Assert.True(box.Has("long"));
        Assert.True(box.Has("new"));
    }

    [Fact]
    public void Add_BoxFullReAddExisting_EvictsNothing()
    {
        var box = new InMemoryPenaltyBox(_time, maxEntries: 2);
        box.Add("a", TimeSpan.FromMinutes(1));
        box.Add("b", TimeSpan.FromMinutes(30));

        box.Add("a", TimeSpan.FromMinutes(40));

        Assert.Equal(2, box.Count);
        Assert.True(box.Has("a"));
        Assert.True(box.Has("b"));
    }

    [Fact]
    public void Add_ReAddedManyTimes_EvictsByCurrentExpiry()
    {
        var box = new InMemoryPenaltyBox(_time, maxEntries: 2);
        for (var minute = 1; minute <= 50; minute++)
        {
            box.Add("a", TimeSpan.FromMinutes(minute));
        }

        box.Add("b", TimeSpan.FromMinutes(60));
        box.Add("c", TimeSpan.FromMinutes(55));

        Assert.Equal(2, box.Count);
        Assert.False(box.Has("a"));
        Assert.True(box.Has("b"));
        Assert.True(box.Has("c"));
    }

    [Fact]
    public void Count_AfterExpiry_ExcludesExpiredEntries()
    {
        _box.Add("short", TimeSpan.FromMinutes(1));
        _box.Add("long", TimeSpan.FromMinutes(2));

        _time.SetOffset(TimeSpan.FromSeconds(90));

        Assert.Equal(1, _box.Count);
    }
}
