using Gatehouse.Edge.Tests.MultiNode;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Signals.Tests.Redis;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>
/// The poll source against the real HAProxy: a request to /bad tags the client in HAProxy's stick table, and
/// the edge, polling the runtime API, puts that client in its penalty box.
/// </summary>
public sealed class HaproxyPollTests
{
    private const string Frontend = """
            stick-table type ip size 1k expire 10m store gpt0,http_req_rate(10s)
            http-request track-sc0 src
            http-request sc-set-gpt0(0) 1 if { path_beg /bad }
        """;

    private static string EdgeToml(string socketPath) => $"""
        [[routes]]
        prefix = "/"
        kind = "public"

        [[feedback]]
        name = "bad-paths"
        table = "web"
        when = "gpt0 > 0"
        action = "penalty_box"
        ttl = "1m"
        key = "client_ip"
        source = "poll"
        runtime_api = "unix:{socketPath}"
        interval = "200ms"
        """;

    [Fact]
    public async Task Poll_TaggedClient_BlockedUntilTtlEnds()
    {
        using var haproxy = await HaproxyProcess.StartAsync(Frontend);
        var time = new ShiftedTime();
        await using var edge = await EdgeNode.StartAsync(EdgeToml(haproxy.SocketPath), time);
        Assert.Equal(200, await edge.GetStatusAsync("/before"));

        using (var client = new HttpClient())
        {
            using var tagged = await client.GetAsync(new Uri(haproxy.Address, "/bad"));
            Assert.Equal(200, (int)tagged.StatusCode);
        }

        await Poll.UntilAsync(async () => await edge.GetStatusAsync("/after") == 429, "the edge to block the tagged client");
        var record = await DecisionWait.ForAsync(edge.Decisions, "penalty");
        Assert.Equal("penalty", record.Decision);
        Assert.Equal("feedback:bad-paths", record.Rule);
        Assert.Equal("gpt0 > 0 at balancer table web", record.Reason);
        Assert.Equal(1, edge.Logs.Count(2050));

        // Untag the client at HAProxy, so only the edge's TTL keeps it blocked.
        await haproxy.CommandAsync("set table web key 127.0.0.1 data.gpt0 0");
        Assert.Equal(429, await edge.GetStatusAsync("/still"));

        time.Advance(TimeSpan.FromSeconds(61));
        await Poll.UntilAsync(async () => await edge.GetStatusAsync("/later") == 200, "the block to end with its TTL");
        Assert.Equal(1, edge.Logs.Count(2050));
    }

    [Fact]
    public async Task Poll_UntaggedClient_Allowed()
    {
        using var haproxy = await HaproxyProcess.StartAsync(Frontend);
        await using var edge = await EdgeNode.StartAsync(EdgeToml(haproxy.SocketPath));
        using (var client = new HttpClient())
        {
            using var good = await client.GetAsync(new Uri(haproxy.Address, "/good"));
            Assert.Equal(200, (int)good.StatusCode);
        }

        var table = await haproxy.CommandAsync("show table web");
        Assert.Contains("key=127.0.0.1", table, StringComparison.Ordinal);

        // A tagged address that sends the edge nothing shows that a poll ran after the good request.
        await haproxy.CommandAsync("set table web key 10.0.0.9 data.gpt0 1");
        await Poll.UntilAsync(() => edge.Logs.Events.Any(e => e.Id.Id == 2050 && e.Message.Contains("10.0.0.9", StringComparison.Ordinal)), "the poller to box 10.0.0.9");
        Assert.Equal(200, await edge.GetStatusAsync("/page"));
        Assert.Equal(1, edge.Logs.Count(2050));
        Assert.Equal(0, edge.Logs.Count(2053));
    }

    [Fact]
    public async Task Poll_ErrorReply_LogsFailureOnce()
    {
        using var api = FakeRuntimeApi.Start("Unknown command. Please enter one of the following commands only :\n");
        await using var edge = await EdgeNode.StartAsync(EdgeToml(api.SocketPath));
        await Poll.UntilAsync(() => api.Connections >= 3, "three polls");
        Assert.Equal(1, edge.Logs.Count(2053));
        Assert.Equal(200, await edge.GetStatusAsync("/page"));
    }
}
