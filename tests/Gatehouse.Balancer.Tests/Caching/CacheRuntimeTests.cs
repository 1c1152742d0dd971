using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Caching;

public sealed class CacheRuntimeTests
{
    [Fact]
    public async Task SecondRequest_ServedFromCacheWithAge()
    {
        await using var origin = Runtime.RawOrigin.Start("HTTP/1.1 200 OK\r\nCache-Control: max-age=30\r\nContent-Length: 11\r\n\r\ncached body");
        await using var balancer = await StartAsync($"""
            frontend fe
                bind 127.0.0.1:0
                http-request cache-use small
                http-response cache-store small
                default_backend be
            backend be
                server s1 {origin.Address}
            cache small
                total-max-size 1
            """);

        using var first = await balancer.SendAsync(Get("/page"));
        using var second = await balancer.SendAsync(Get("/page"));

        Assert.Equal("cached body", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, origin.Requests);
        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"));
    }
}
