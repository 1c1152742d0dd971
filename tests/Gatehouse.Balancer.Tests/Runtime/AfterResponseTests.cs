using System.Net;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class AfterResponseTests
{
    private static string Config(EchoOrigin origin) => $$"""
        frontend fe
            bind 127.0.0.1:0
            capture request header User-Agent len 4
            capture response header Content-Type len 9
            http-request deny deny_status 403 if { path /deny }
            http-request return status 200 content-type text/plain string ok if { path /return }
            http-response set-header X-Response-Rule yes
            http-after-response set-header X-After "%[capture.req.hdr(0)] %[capture.res.hdr(0)]"
            http-after-response set-header X-Hr "%hr"
            http-after-response set-status 299 if { status 200 }
            default_backend be
        backend be
            http-after-response add-header X-Backend-After be
            server s1 {{origin.Address}}
        """;

    [Fact]
    public async Task ForwardedResponse_RulesAndCapturesApplied()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));
        using var request = Get("/page");
        request.Headers.Add("User-Agent", "probe/1.0");

        using var response = await balancer.SendAsync(request);

        Assert.Equal(299, (int)response.StatusCode);
        Assert.Equal("prob applicati", response.Headers.GetValues("X-After").Single());
        Assert.Equal("{prob}", response.Headers.GetValues("X-Hr").Single());
        Assert.Equal("be", response.Headers.GetValues("X-Backend-After").Single());
        Assert.Equal("yes", response.Headers.GetValues("X-Response-Rule").Single());
    }

    [Fact]
    public async Task DenyResponse_AfterRulesOnly()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/deny"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.Headers.Contains("X-After"));
        Assert.False(response.Headers.Contains("X-Response-Rule"));
        Assert.False(response.Headers.Contains("X-Backend-After"));
    }

    [Fact]
    public async Task ReturnResponse_SetStatusApplied()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/return"));

        Assert.Equal(299, (int)response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }
}
