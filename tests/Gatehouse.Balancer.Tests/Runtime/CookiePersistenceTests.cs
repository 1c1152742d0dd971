using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class CookiePersistenceTests
{
    private static string Config(EchoOrigin one, EchoOrigin two, string cookieLine) => $$"""
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            {{cookieLine}}
            server s1 {{one.Address}} cookie c1
            server s2 {{two.Address}} cookie c2
        """;

    private static async Task<(EchoReply Reply, HttpResponseMessage Response)> SendAsync(BalancerTestHost balancer, string? cookie)
    {
        using var request = Get("/");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await balancer.SendAsync(request);
        return (await EchoReply.ReadAsync(response), response);
    }

    [Fact]
    public async Task Insert_NewClient_GetsServerCookie()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "cookie SRV insert httponly"));

        var (reply, response) = await SendAsync(balancer, null);

        Assert.Equal("one", reply.Origin);
        Assert.Equal("SRV=c1; path=/; HttpOnly", response.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task Insert_ValidCookie_SticksWithoutNewCookie()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "cookie SRV insert"));

        for (var i = 0; i < 3; i++)
        {
            var (reply, response) = await SendAsync(balancer, "SRV=c2");

            Assert.Equal("two", reply.Origin);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            Assert.Equal("SRV=c2", reply.Headers["Cookie"]);
        }
    }

    [Fact]
    public async Task InsertIndirect_ValidCookie_RemovedBeforeForwarding()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "cookie SRV insert indirect"));

        var (reply, _) = await SendAsync(balancer, "a=1; SRV=c2; b=2");
        var (alone, _) = await SendAsync(balancer, "SRV=c2");

        Assert.Equal("two", reply.Origin);
        Assert.Equal("a=1; b=2", reply.Headers["Cookie"]);
        Assert.False(alone.Headers.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task Insert_UnknownCookie_BalancedAndReplaced()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "cookie SRV insert nocache"));

        var (reply, response) = await SendAsync(balancer, "SRV=gone");

        Assert.Equal("one", reply.Origin);
        Assert.Equal("SRV=c1; path=/", response.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task Prefix_CookieValue_StrippedForServer()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "cookie SRV prefix"));

        var (reply, response) = await SendAsync(balancer, "SRV=c2~session42");

        Assert.Equal("two", reply.Origin);
        Assert.Equal("SRV=session42", reply.Headers["Cookie"]);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}
