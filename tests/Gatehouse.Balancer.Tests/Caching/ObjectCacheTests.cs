using Gatehouse.Balancer.Caching;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Caching;

public sealed class ObjectCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ObjectCache Create(ManualTime time, long total = 1000, long maxObject = 400) =>
        new(new CacheSettings("c", total, maxObject, TimeSpan.FromSeconds(60), false, new ConfigLocation("t.cfg", 1)), time);

    private static CachedObject Object(int bodyBytes, TimeSpan lifetime) =>
        new(200, [], new byte[bodyBytes], Start, Start + lifetime);

    [Fact]
    public void Put_OverTotal_EvictsLeastRecentlyUsed()
    {
        var time = new ManualTime(Start);
        var cache = Create(time);
        cache.Put("a", Object(300, TimeSpan.FromMinutes(1)));
        cache.Put("b", Object(300, TimeSpan.FromMinutes(1)));
        Assert.NotNull(cache.Get("a"));

        cache.Put("c", Object(300, TimeSpan.FromMinutes(1)));
        cache.Put("d", Object(300, TimeSpan.FromMinutes(1)));

        Assert.Null(cache.Get("b"));
        Assert.NotNull(cache.Get("d"));
        Assert.True(cache.Bytes <= 1000);
    }

    [Fact]
    public void Put_OverMaxObjectSize_Rejected()
    {
        var cache = Create(new ManualTime(Start));

        Assert.False(cache.Put("big", Object(401, TimeSpan.FromMinutes(1))));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Get_Expired_RemovedAndMissed()
    {
        var time = new ManualTime(Start);
        var cache = Create(time);
        cache.Put("a", Object(10, TimeSpan.FromSeconds(5)));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(cache.Get("a"));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Put_SameKey_ReplacesAndRecountsBytes()
    {
        var cache = Create(new ManualTime(Start));
        cache.Put("a", Object(100, TimeSpan.FromMinutes(1)));

        cache.Put("a", Object(50, TimeSpan.FromMinutes(1)));

        Assert.Equal(1, cache.Count);
        Assert.Equal(50, cache.Bytes);
    }
}

/// <summary>A clock that moves only when the test advances it.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
