using Gatehouse.Edge.Tests.MultiNode;
using Gatehouse.Signals.Tests.Redis;
using Xunit.Abstractions;

namespace Gatehouse.Edge.Tests.Faults;

/// <summary>
/// Two real edges share a redis-server that the test stops and starts again on the same port while steady
/// traffic runs through both edges.
/// </summary>
public sealed class RedisRestartUnderLoadTests : IDisposable
{
    private const int RedisLostEvent = 5001;
    private const int RedisRestoredEvent = 5002;
    private const string LimitedPath = "/limited/item";

    // Enough for the 10 s window at 1 request/s to block, with room for requests counted late.
    private const int MaxRequestsToLimit = 200;

    private readonly RedisServer _redis = RedisServer.Start();
    private readonly ITestOutputHelper _output;

    public RedisRestartUnderLoadTests(ITestOutputHelper output) => _output = output;

    private string Toml(string prefix) => $"""
        [redis]
        endpoints = ["{_redis.Endpoint}"]
        key_prefix = "{prefix}"
        connect_timeout = "1s"
        operation_timeout = "500ms"

        [[routes]]
        prefix = "/"
        kind = "public"

        [[rate_limits]]
        name = "limited"
        key = "header:X-Client"
        prefix = "/limited/"
        window = "10s"
        limit = 1
        penalty = "10m"
        """;

    [Fact]
    public async Task RedisRestart_UnderLoad_FailsClosedAndResumes()
    {
        var prefix = RedisServerFixture.NewPrefix();
        await using var a = await EdgeNode.StartAsync(Toml(prefix));
        await using var b = await EdgeNode.StartAsync(Toml(prefix));
        EdgeNode[] nodes = [a, b];

        // 1. A client over the limit at edge A is boxed at both edges before Redis goes away.
        Assert.True(await DriveToLimitAsync(a, a, "boxed"), "client 'boxed' never reached the limit at edge A");
        await Poll.UntilAsync(async () => await LimitedStatusAsync(b, "boxed") == 429, "edge B to learn the penalty box entry of edge A");

        await using var load = SteadyLoad.Start(4, 200, (loop, i) => nodes[(loop + i) % 2].GetStatusAsync($"/page/{loop}/{i}"));
        await load.WaitForMoreAsync(50);

        // 2. Redis stops: allowed traffic keeps getting 200 and the boxed client stays blocked at both edges.
        _redis.Kill();
        await Poll.UntilAsync(() => a.Logs.Count(RedisLostEvent) >= 1, "edge A to log that Redis is unreachable");
        await load.WaitForMoreAsync(100);
        await AssertBoxedAsync(nodes, "during the outage");

        // 3. Redis starts again, empty: the boxed client stays blocked, and the counters are shared again.
        _redis.Restart();
        await Poll.UntilAsync(() => a.Logs.Count(RedisRestoredEvent) >= 1, "edge A to log that Redis is back", TimeSpan.FromSeconds(30));
        await load.WaitForMoreAsync(100);
        await AssertBoxedAsync(nodes, "after the restart");

        const int SentAtA = 5;
        for (var i = 0; i < SentAtA; i++)
        {
            Assert.Equal(200, await LimitedStatusAsync(a, "after"));
        }

        await Poll.UntilAsync(
            () => b.Stores.RateCounter.LookupCount("limited|after", 10) >= SentAtA,
            "edge B to read the requests counted at edge A after the restart",
            TimeSpan.FromSeconds(30));
        Assert.True(await DriveToLimitAsync(a, b, "after"), "client 'after' never reached the limit after the restart");

        await load.WaitForMoreAsync(50);
        var failures = await load.StopAsync();
        _output.WriteLine($"{load.Completed} allowed requests, {failures.Count} failed");
        Assert.Empty(failures);
        // Each Redis-backed store (rate counter, feedback rate counter, penalty box) logs the loss once, not once
        // per failed flush.
        Assert.InRange(a.Logs.Count(RedisLostEvent), 1, 3);
    }

    // Sends limited requests for one client, alternating between two edges, until one gets 429.
    private static async Task<bool> DriveToLimitAsync(EdgeNode first, EdgeNode second, string client)
    {
        for (var i = 0; i < MaxRequestsToLimit; i++)
        {
            if (await LimitedStatusAsync(i % 2 == 0 ? first : second, client) == 429)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task AssertBoxedAsync(EdgeNode[] nodes, string when)
    {
        for (var i = 0; i < 10; i++)
        {
            foreach (var node in nodes)
            {
                var status = await LimitedStatusAsync(node, "boxed");
                Assert.True(status == 429, $"boxed client got {status} at edge {node.Host.Address} {when}");
            }
        }
    }

    private static async Task<int> LimitedStatusAsync(EdgeNode node, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, LimitedPath);
        request.Headers.Add("X-Client", client);
        using var response = await node.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    public void Dispose() => _redis.Dispose();
}
