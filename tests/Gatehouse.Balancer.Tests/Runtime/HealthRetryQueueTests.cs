using System.Net;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class HealthRetryQueueTests
{
    private static string Config(string backendLines) => $"""
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
        {backendLines}
        """;

    /// <summary>Sends GET requests until one returns the expected status, or fails after a deadline.</summary>
    private static async Task<HttpResponseMessage> PollForStatusAsync(BalancerTestHost balancer, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var response = await balancer.SendAsync(Get("/poll"));
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task HealthCheck_RefusedServer_MarkedDownAnd503()
    {
        await using var balancer = await StartAsync(Config($"    retries 0\n    server s1 127.0.0.1:{RefusedPort()} check inter 50ms fall 2"));

        // Until the checks mark the server down, a refused forward returns 502, so poll until the record shows
        // that no server was selected.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? reason;
        HttpStatusCode status;
        while (true)
        {
            using var response = await balancer.SendAsync(Get("/poll"));
            status = response.StatusCode;
            reason = (await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single())).Reason;
            if (reason == "no server available" || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("no server available", reason);
    }

    [Fact]
    public async Task HttpCheck_WrongStatus_SkipsServer()
    {
        await using var good = await EchoOrigin.StartAsync("good");
        await using var bad = await StatusOrigin.StartAsync("bad", 500);
        await using var balancer = await StartAsync(Config($"""
                option httpchk GET /health
                http-check expect status 200-399
                server bad {bad.Address} check inter 50ms fall 1
                server good {good.Address} check inter 50ms
            """));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var consecutiveGood = 0;
        while (consecutiveGood < 4 && DateTime.UtcNow < deadline)
        {
            using var response = await balancer.SendAsync(Get("/page"));
            consecutiveGood = response.StatusCode == HttpStatusCode.OK ? consecutiveGood + 1 : 0;
        }

        Assert.Equal(4, consecutiveGood);
    }

    [Fact]
    public async Task Retry503_AllServers503_ReturnsLastServerResponse()
    {
        await using var a = await StatusOrigin.StartAsync("a", 503);
        await using var b = await StatusOrigin.StartAsync("b", 503);
        await using var balancer = await StartAsync(Config($"""
                retries 2
                retry-on 503
                option redispatch
                server a {a.Address}
                server b {b.Address}
            """));

        using var response = await balancer.SendAsync(Get("/x"));
        var body = await response.Content.ReadAsStringAsync();
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"origin":"a"}""", body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, a.Requests);
        Assert.Equal(1, b.Requests);
        Assert.Equal("retried 2 times; server responded 503", record.Reason);
    }

    [Fact]
    public async Task Redispatch_RefusedServer_ReachesOtherServer()
    {
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config($"""
                retries 1
                option redispatch
                server a 127.0.0.1:{RefusedPort()}
                server b {b.Address}
            """));

        for (var i = 0; i < 4; i++)
        {
            using var response = await balancer.SendAsync(Get("/x"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Queue_ServerAtMaxconn_TimesOutWith503()
    {
        await using var origin = await EchoOrigin.StartAsync("a");
        await using var balancer = await StartAsync(Config($"    timeout queue 200ms\n    server a {origin.Address} maxconn 1"));
        using var stalled = new CancellationTokenSource();
        var holder = balancer.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(balancer.Client.BaseAddress!, "/stall")), stalled.Token);

        using var response = await PollForStatusAsync(balancer, HttpStatusCode.ServiceUnavailable);
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
        await stalled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holder);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("queue timeout", record.Reason);
    }

    [Fact]
    public async Task Queue_SlotFreed_QueuedRequestServed()
    {
        await using var origin = await StatusOrigin.StartAsync("a", 200);
        await using var balancer = await StartAsync(Config($"    timeout queue 10s\n    server a {origin.Address} maxconn 1"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => balancer.SendAsync(Get("/x"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(6, origin.Requests);
    }
}
