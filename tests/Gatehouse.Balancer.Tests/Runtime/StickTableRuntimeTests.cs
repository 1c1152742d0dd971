using System.Net;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;
using Gatehouse.Balancer.Tests.RuntimeApi;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class StickTableRuntimeTests
{
    private static string RateLimitConfig(EchoOrigin origin, string extraGlobal = "", string expire = "10s") => $$"""
        global
        {{extraGlobal}}
        frontend fe
            bind 127.0.0.1:0
            http-request track-sc0 src table be
            http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
            http-request sc-inc-gpc0(0) if { path /count }
            default_backend be
        backend be
            stick-table type ip size 1k expire {{expire}} store http_req_rate(10s),gpc0,http_err_cnt
            server s1 {{origin.Address}}
        """;

    private static long? ReadLoopback(StickTable table, StickDataType type) =>
        table.Lookup("127.0.0.1") is { } entry ? table.Read(entry, type) : null;

    [Fact]
    public async Task RateLimit_FourthRequestInBurst_Denied()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(RateLimitConfig(origin));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await balancer.SendAsync(Get("/"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses[..3]);
        Assert.All(statuses[3..], status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        var table = balancer.Host.StickTables.Find("be")!;
        Assert.Equal(6, ReadLoopback(table, StickDataType.HttpReqRate));
        Assert.Equal(3, ReadLoopback(table, StickDataType.HttpErrCnt));
    }

    [Fact]
    public async Task IncrementGpc0_CountsMatchingRequests()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(RateLimitConfig(origin));

        (await balancer.SendAsync(Get("/count"))).Dispose();
        (await balancer.SendAsync(Get("/other"))).Dispose();
        (await balancer.SendAsync(Get("/count"))).Dispose();

        Assert.Equal(2, ReadLoopback(balancer.Host.StickTables.Find("be")!, StickDataType.Gpc0));
    }

    [Fact]
    public async Task Reload_UnchangedTable_KeepsEntries()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(RateLimitConfig(origin));
        (await balancer.SendAsync(Get("/count"))).Dispose();
        var before = balancer.Host.StickTables.Find("be");

        await balancer.Host.ReloadAsync(BalancerConfigLoader.Parse(RateLimitConfig(origin), "t.cfg", new Dictionary<string, string>()), CancellationToken.None);

        Assert.Same(before, balancer.Host.StickTables.Find("be"));
        Assert.Equal(1, ReadLoopback(balancer.Host.StickTables.Find("be")!, StickDataType.Gpc0));
    }

    [Fact]
    public async Task Reload_ChangedTable_StartsEmpty()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(RateLimitConfig(origin));
        (await balancer.SendAsync(Get("/count"))).Dispose();

        await balancer.Host.ReloadAsync(
            BalancerConfigLoader.Parse(RateLimitConfig(origin, expire: "20s"), "t.cfg", new Dictionary<string, string>()), CancellationToken.None);

        Assert.Equal(0, balancer.Host.StickTables.Find("be")!.Count);
    }

    [Fact]
    public async Task NoTables_RegistryEmpty()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync($"frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server s1 {origin.Address}\n");

        using var response = await balancer.SendAsync(Get("/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(balancer.Host.StickTables.Tables);
    }

    [Fact]
    public async Task StatsSocket_ShowTable_ListsTrackedEntry()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gh-stick-{Guid.NewGuid():N}.sock");
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(RateLimitConfig(origin, $"    stats socket {path} mode 600 level admin"));
        (await balancer.SendAsync(Get("/count"))).Dispose();

        var output = await RuntimeApiClient.SendAsync(path, "show table be");

        Assert.StartsWith("# table: be, type: ip, size:1024, used:1", output, StringComparison.Ordinal);
        Assert.Contains("key=127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("gpc0=1", output, StringComparison.Ordinal);
    }
}
