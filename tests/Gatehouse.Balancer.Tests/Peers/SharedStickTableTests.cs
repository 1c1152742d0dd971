using System.Net;
using Gatehouse.Balancer.StickTables;
using StackExchange.Redis;
using static Gatehouse.Balancer.Tests.Peers.TwoBalancers;

namespace Gatehouse.Balancer.Tests.Peers;

/// <summary>Two real balancers share table `be` through a real redis-server; every client is 127.0.0.1.</summary>
public sealed class SharedStickTableTests
{
    private const string RateRules = "    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 10 }";
    private const string BanRules = """
            http-request sc-set-gpt0(0) 1 if { path /ban }
            http-request deny deny_status 403 if { sc_get_gpt0(0) gt 0 }
        """;

    [Fact]
    public async Task Counters_AlternatedRequests_SumOnBothNodes()
    {
        using var redis = RedisProcess.Start();
        await using var nodes = await StartAsync(redis, "", "expire 60s store http_req_cnt,gpc0,conn_cur");

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(i % 2 == 0 ? nodes.A : nodes.B, "/"));
        }

        await WaitUntilAsync(() => Read(nodes.A, StickDataType.HttpReqCnt) == 6 && Read(nodes.B, StickDataType.HttpReqCnt) == 6, "http_req_cnt 6 on both nodes");
        Assert.Equal(0, Read(nodes.A, StickDataType.ConnCur));
    }

    [Fact]
    public async Task RequestRate_NodeARequests_DenyOnNodeB()
    {
        using var redis = RedisProcess.Start();
        await using var nodes = await StartAsync(redis, RateRules, "expire 60s store http_req_rate(60s)");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.A, "/"));
        }

        // Alone, B would deny only its 11th request. With the 10 of A, it denies as soon as it has read them.
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 5 && !statuses.Contains(HttpStatusCode.TooManyRequests); attempt++)
        {
            statuses.Add(await SendAsync(nodes.B, "/"));
            await nodes.WaitForExchangesAsync();
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(Read(nodes.B, StickDataType.HttpReqRate) > 10);
    }

    [Fact]
    public async Task Gpt0_SetOnNodeA_DeniesOnNodeB()
    {
        using var redis = RedisProcess.Start();
        await using var nodes = await StartAsync(redis, BanRules, "expire 60s store gpt0");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.B, "/"));

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(nodes.A, "/ban"));
        await nodes.WaitForExchangesAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(nodes.B, "/"));
        Assert.Equal(1, Read(nodes.B, StickDataType.Gpt0));
    }

    [Fact]
    public async Task Gpt0_AfterExpire_NoLongerDenies()
    {
        using var redis = RedisProcess.Start();
        await using var nodes = await StartAsync(redis, BanRules, "expire 3s store gpt0");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.B, "/"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(nodes.A, "/ban"));

        // A loaded machine may need more than one exchange before node B reads node A's gpt0.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode atB;
        do
        {
            await nodes.WaitForExchangesAsync();
            atB = await SendAsync(nodes.B, "/");
        }
        while (atB != HttpStatusCode.Forbidden && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Forbidden, atB);

        // With no traffic, the entries expire on both nodes and the shared copy expires in Redis.
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        await WaitUntilAsync(() => Table(nodes.A).Count == 0 && Table(nodes.B).Count == 0, "the entries to expire on both nodes");
        await WaitUntilAsync(() => client.GetServer(redis.Endpoint).Keys(pattern: "peers-test-*").Any() is false, "the shared entry to expire in Redis");

        Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.B, "/"));
        await nodes.WaitForExchangesAsync();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(nodes.B, "/"));
        Assert.Equal(0, Read(nodes.B, StickDataType.Gpt0));
    }

    [Fact]
    public async Task RedisStopped_NodesCountLocally_ThenResume()
    {
        using var redis = RedisProcess.Start();
        await using var nodes = await StartAsync(redis, "", "expire 60s store http_req_cnt");
        await SendManyAsync(nodes.A, 3);
        await SendManyAsync(nodes.B, 2);
        await WaitUntilAsync(() => Read(nodes.A, StickDataType.HttpReqCnt) == 5 && Read(nodes.B, StickDataType.HttpReqCnt) == 5, "both nodes to count 5");

        redis.Stop();
        await WaitUntilAsync(() => Sync(nodes.A).IsDown && Sync(nodes.B).IsDown, "both nodes to notice that Redis is gone");
        await SendManyAsync(nodes.A, 4);
        await SendManyAsync(nodes.B, 3);
        await nodes.WaitForExchangesAsync(3);

        // Each node adds its own requests to the other node's last known count.
        Assert.Equal(9, Read(nodes.A, StickDataType.HttpReqCnt));
        Assert.Equal(8, Read(nodes.B, StickDataType.HttpReqCnt));
        Assert.Single(nodes.LogsA.Events, entry => entry.EventId == 2096);

        redis.Restart();
        Assert.NotNull(await nodes.LogsA.WaitForAsync(2097));
        await WaitUntilAsync(() => Read(nodes.A, StickDataType.HttpReqCnt) == 12 && Read(nodes.B, StickDataType.HttpReqCnt) == 12, "both nodes to count 12 again");
        Assert.Single(nodes.LogsA.Events, entry => entry.EventId == 2096);
    }

    private static async Task SendManyAsync(BalancerNode node, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(node, "/"));
        }
    }
}
