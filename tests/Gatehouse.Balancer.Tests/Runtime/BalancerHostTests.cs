using System.Net;
using Gatehouse.Balancer.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class BalancerHostTests
{
    private static string TwoPools(EchoOrigin a, EchoOrigin b, EchoOrigin c, string extra = "") => $"""
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
            option forwardfor
        frontend gateway
            bind 127.0.0.1:0
            acl is_api path_beg /api/
            {extra}
            use_backend api if is_api
            default_backend web
        backend web
            balance roundrobin
            server a {a.Address}
            server b {b.Address}
        backend api
            server c {c.Address}
        """;

    [Fact]
    public async Task RoundRobin_TwoServers_Alternate()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        await using var balancer = await StartAsync(TwoPools(a, b, c));

        var origins = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await balancer.SendAsync(Get("/page"));
            origins.Add((await EchoReply.ReadAsync(response)).Origin);
        }

        Assert.Equal(["a", "b", "a", "b"], origins);
    }

    [Fact]
    public async Task UseBackend_ByPath_RoutesToBackend()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        await using var balancer = await StartAsync(TwoPools(a, b, c));

        using var response = await balancer.SendAsync(Get("/api/items"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("c", reply.Origin);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var record = await balancer.Sink.WaitForAsync(requestId);
        Assert.Equal("forward", record.Decision);
        Assert.Equal("api", record.Backend);
        Assert.Equal("c", record.Server);
        Assert.Equal("t.cfg:10 use_backend", record.Rule);
        Assert.Equal(200, record.Status);
    }

    [Fact]
    public async Task Deny_WithStatusAndBody_AnswersWithoutForwarding()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        var extra = "http-request deny deny_status 429 content-type text/plain string \"slow down\" if { path_beg /api/limited }";
        await using var balancer = await StartAsync(TwoPools(a, b, c, extra));

        using var response = await balancer.SendAsync(Get("/api/limited/x"));

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("slow down", await response.Content.ReadAsStringAsync());
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("deny", record.Decision);
        Assert.Equal("t.cfg:9 http-request deny", record.Rule);
    }

    [Fact]
    public async Task EncodedSlash_ReachesOriginUnchanged()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        await using var balancer = await StartAsync(TwoPools(a, b, c));

        using var response = await balancer.SendAsync(Get("/pkg/@scope%2fname?q=a%2Fb&x=%20"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("/pkg/@scope%2fname?q=a%2Fb&x=%20", reply.Target);
    }

    [Fact]
    public async Task Utf8ResponseHeader_PassesThrough()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        await using var balancer = await StartAsync(TwoPools(a, b, c));

        using var response = await balancer.SendAsync(Get("/page"));

        Assert.Equal(EchoOrigin.Utf8HeaderValue, response.Headers.GetValues("X-Utf8").Single());
    }

    [Fact]
    public async Task RequestId_FromClient_IsPassedAndReturned()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var c = await EchoOrigin.StartAsync("c");
        await using var balancer = await StartAsync(TwoPools(a, b, c));
        using var request = Get("/page");
        request.Headers.Add("X-Request-Id", "client-id-1");

        using var response = await balancer.SendAsync(request);
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("client-id-1", reply.Headers["X-Request-Id"]);
        Assert.Equal("client-id-1", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("127.0.0.1", reply.Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task RefusedConnection_Returns502()
    {
        var port = RefusedPort();
        var cfg = $"frontend gateway\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    timeout connect 2s\n    server dead 127.0.0.1:{port}\n";
        await using var balancer = await StartAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("retried 3 times; server refused the connection", record.Reason);
        Assert.Equal("dead", record.Server);
    }

    [Fact]
    public async Task DisabledServers_Return503()
    {
        var cfg = "frontend gateway\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server off 127.0.0.1:9 disabled\n";
        await using var balancer = await StartAsync(cfg);

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task StalledOrigin_WithShortServerTimeout_Returns504()
    {
        await using var slow = await EchoOrigin.StartAsync("slow");
        var cfg = $"frontend gateway\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    timeout server 300ms\n    server slow {slow.Address}\n";
        await using var balancer = await StartAsync(cfg);

        using var response = await balancer.SendAsync(Get("/stall"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task NoBackend_Returns503()
    {
        await using var balancer = await StartAsync("frontend gateway\n    bind 127.0.0.1:0\n");

        using var response = await balancer.SendAsync(Get("/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task BoundAddresses_ReportRealPort()
    {
        await using var balancer = await StartAsync("frontend gateway\n    bind 127.0.0.1:0\n");

        var address = Assert.Single(balancer.Host.BoundAddresses["gateway"]);

        Assert.NotEqual(0, address.Port);
        Assert.Equal("127.0.0.1", address.Host);
    }
}
