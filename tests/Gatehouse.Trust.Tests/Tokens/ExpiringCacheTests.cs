using Gatehouse.Trust.Tokens;

namespace Gatehouse.Trust.Tests.Tokens;

public sealed class ExpiringCacheTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGet_BeforeExpiry_ReturnsValue()
    {
        var cache = new ExpiringCache<string>(10);
        cache.Set("token", "result", Now.AddMinutes(1), Now);

        Assert.True(cache.TryGet("token", Now.AddSeconds(59), out var value));
        Assert.Equal("result", value);
    }

    [Fact]
    public void TryGet_AtExpiry_MissesAndRemoves()
    {
        var cache = new ExpiringCache<string>(10);
        cache.Set("token", "result", Now.AddMinutes(1), Now);

        Assert.False(cache.TryGet("token", Now.AddMinutes(1), out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Set_AlreadyExpired_StoresNothing()
    {
        var cache = new ExpiringCache<string>(10);

        cache.Set("token", "result", Now, Now);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Set_Full_StaysWithinCapacity()
    {
        var cache = new ExpiringCache<int>(100);

        for (var i = 0; i < 1_000; i++)
        {
            cache.Set("token-" + i, i, Now.AddMinutes(1), Now);
        }

        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet("token-999", Now, out var last));
        Assert.Equal(999, last);
    }

    [Fact]
    public void Set_Full_EvictsExpiredFirst()
    {
        var cache = new ExpiringCache<int>(4);
        cache.Set("old-1", 1, Now.AddSeconds(1), Now);
        cache.Set("old-2", 2, Now.AddSeconds(1), Now);
        cache.Set("live-1", 3, Now.AddMinutes(1), Now);
        cache.Set("live-2", 4, Now.AddMinutes(1), Now);

        cache.Set("new", 5, Now.AddMinutes(1), Now.AddSeconds(2));

        Assert.True(cache.TryGet("live-1", Now.AddSeconds(2), out _));
        Assert.True(cache.TryGet("live-2", Now.AddSeconds(2), out _));
        Assert.True(cache.TryGet("new", Now.AddSeconds(2), out _));
        Assert.Equal(3, cache.Count);
    }
}
