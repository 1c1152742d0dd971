using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Tests.MultiNode;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>
/// Two real edges on one real redis-server: a rate_limit signal published by a balancer reaches both edges
/// through the signal bus, and both count the marked client against one shared stricter limit.
/// </summary>
public sealed class FeedbackRateLimitMultiNodeTests : IClassFixture<RedisServerFixture>
{
    // 1/s over 60 s: a client is rejected from its 120th request in the window, counted at every edge.
    private const int RequestsToBlock = 120;

    private readonly RedisServerFixture _redis;
    private readonly ITestOutputHelper _output;

    public FeedbackRateLimitMultiNodeTests(RedisServerFixture redis, ITestOutputHelper output)
    {
        _redis = redis;
        _output = output;
    }

    private string Toml(string prefix) => $"""
        [redis]
        endpoints = ["{_redis.Server.Endpoint}"]
        key_prefix = "{prefix}"

        [[routes]]
        prefix = "/"
        kind = "public"

        [[rate_limits]]
        name = "per-client"
        key = "client_ip"
        window = "60s"
        limit = 1000
        penalty = "1m"

        [[feedback]]
        name = "slow-clients"
        table = "web"
        when = "gpt0 > 0"
        action = "rate_limit"
        limit = 1
        window = "60s"
        ttl = "1m"
        """;

    [Fact]
    public async Task RateLimitSignal_TwoEdges_ShareStricterCount()
    {
        var prefix = RedisServerFixture.NewPrefix();
        await using var a = await EdgeNode.StartAsync(Toml(prefix));
        await using var b = await EdgeNode.StartAsync(Toml(prefix));

        // "The balancer": its own Redis connection and bus, and the rules of the same edge.toml.
        var rules = EdgeConfigLoader.Parse(Toml(prefix), "/tmp/edge.toml", new Dictionary<string, string>()).Feedback;
        await using var connection = await _redis.ConnectAsync(prefix);
        using var bus = new RedisSignalBus(connection, prefix);
        var publisher = new FeedbackPublisher(rules, bus, a.Logs.CreateLogger("balancer"), TimeProvider.System);
        publisher.Observe("web", "127.0.0.1", "gpt0", 1);

        // Each edge logs the limit once when its own copy of the signal arrives, so both got it over the bus.
        await Poll.UntilAsync(() => a.Logs.Count(2059) == 1 && b.Logs.Count(2059) == 1, "both edges to apply the rate_limit signal");

        var sentToA = await SendUntilLimitedAsync(a, "/a", RequestsToBlock + 20, TimeSpan.Zero);
        _output.WriteLine($"edge A rejected request {sentToA}");
        Assert.InRange(sentToA, RequestsToBlock - 10, RequestsToBlock + 10);
        var atA = await DecisionWait.ForAsync(a.Decisions, "limit");
        Assert.Equal("feedback:slow-clients", atA.Rule);

        // Alone, edge B would allow about 120 requests. It rejects far sooner, once its counter has read
        // the count of edge A from Redis (flushed every 100 ms).
        var sentToB = await SendUntilLimitedAsync(b, "/b", RequestsToBlock / 2, TimeSpan.FromMilliseconds(100));
        _output.WriteLine($"edge B rejected request {sentToB}");
        Assert.InRange(sentToB, 1, RequestsToBlock / 2 - 1);
        var atB = await DecisionWait.ForAsync(b.Decisions, "limit");
        Assert.Equal("feedback:slow-clients", atB.Rule);
        Assert.StartsWith("rate ", atB.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" over 1/s in 60s window after gpt0 > 0 at balancer table web", atB.Reason, StringComparison.Ordinal);

        await AssertCountersApartAsync(connection, prefix);
    }

    /// <summary>Sends GET requests until one gets 429 and returns its number, or fails after <paramref name="max"/>.</summary>
    private static async Task<int> SendUntilLimitedAsync(EdgeNode node, string path, int max, TimeSpan pause)
    {
        for (var sent = 1; sent <= max; sent++)
        {
            if (await node.GetStatusAsync(path) == 429)
            {
                return sent;
            }

            await Task.Delay(pause);
        }

        Assert.Fail($"{path}: no 429 within {max} requests");
        return max;
    }

    // The stricter limit counts under {prefix}feedback:rc:, the [[rate_limits]] rules under {prefix}rc:.
    private static async Task AssertCountersApartAsync(IConnectionMultiplexer connection, string prefix)
    {
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var feedbackKey = prefix + "feedback:rc:slow-clients|127.0.0.1";
        var normalKey = prefix + "rc:per-client|127.0.0.1";
        await Poll.UntilAsync(() => connection.GetDatabase().KeyExists(feedbackKey), "the shared stricter count in Redis");
        Assert.True(connection.GetDatabase().KeyExists(normalKey));
        var keys = server.Keys(pattern: prefix + "*").Select(key => key.ToString()).ToList();
        Assert.DoesNotContain(keys, key => key.StartsWith(prefix + "rc:slow-clients", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, key => key.StartsWith(prefix + "feedback:rc:per-client", StringComparison.Ordinal));
    }
}
