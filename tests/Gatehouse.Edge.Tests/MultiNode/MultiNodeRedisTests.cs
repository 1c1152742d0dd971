using System.Diagnostics;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Hosting;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.Tests.Redis;
using Xunit.Abstractions;

namespace Gatehouse.Edge.Tests.MultiNode;

/// <summary>Two real edges on one real redis-server share rate counters, the penalty box, signals and the key ring.</summary>
public sealed class MultiNodeRedisTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;
    private readonly ITestOutputHelper _output;

    public MultiNodeRedisTests(RedisServerFixture redis, ITestOutputHelper output)
    {
        _redis = redis;
        _output = output;
    }

    private static string RateLimit(int limit) => $"""
        [[rate_limits]]
        name = "per-client"
        key = "client_ip"
        window = "10s"
        limit = {limit}
        penalty = "1m"
        """;

    private string Toml(string prefix, string extra = "") => $"""
        [redis]
        endpoints = ["{_redis.Server.Endpoint}"]
        key_prefix = "{prefix}"

        [[routes]]
        prefix = "/"
        kind = "public"

        [[feedback]]
        name = "bad-paths"
        table = "web"
        when = "gpt0 > 0"
        ttl = "1m"

        {extra}
        """;

    [Fact]
    public async Task RateLimit_TwoEdges_EnforcedTogether()
    {
        // The baseline: what one edge allows of the same paced requests, on a prefix of its own.
        int baseline;
        await using (var alone = await EdgeNode.StartAsync(Toml(RedisServerFixture.NewPrefix(), RateLimit(1))))
        {
            (baseline, _) = await SendPacedAsync(alone, alone);
        }

        var prefix = RedisServerFixture.NewPrefix();
        await using var a = await EdgeNode.StartAsync(Toml(prefix, RateLimit(1)));
        await using var b = await EdgeNode.StartAsync(Toml(prefix, RateLimit(1)));
        var (allowed, statuses) = await SendPacedAsync(a, b);

        // Requests alternate between the edges every 50 ms, so the other edge sends about 2 requests in
        // 2 flush intervals (2 x 100 ms), the under-count RedisRateCounter documents; 4 leaves room for
        // round trips on a busy machine.
        var excess = allowed - baseline;
        _output.WriteLine($"one edge allowed {baseline} of 40; two edges allowed {allowed} of 40; excess {excess}; statuses {string.Join(",", statuses)}");
        Assert.True(excess >= 0, $"two edges allowed {allowed}, fewer than one edge's {baseline}: over-counting");
        Assert.True(excess <= 4, $"two edges allowed {allowed}, {excess} over one edge's {baseline}, more than 2 flush intervals of the other edge's requests");
        Assert.Equal(429, statuses[^1]);
        Assert.Equal(429, statuses[^2]);
    }

    // Sends 40 requests 50 ms apart, alternating between the two edges, and returns how many got 200.
    private static async Task<(int Allowed, List<int> Statuses)> SendPacedAsync(EdgeNode first, EdgeNode second)
    {
        var statuses = new List<int>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 40; i++)
        {
            statuses.Add(await (i % 2 == 0 ? first : second).GetStatusAsync("/page"));
            await pace.WaitForNextTickAsync();
        }

        return (statuses.Count(status => status == 200), statuses);
    }

    [Fact]
    public async Task PenaltyBox_EntryAddedAtA_BlocksAtB()
    {
        var prefix = RedisServerFixture.NewPrefix();
        // A limit the test never reaches, so only the penalty box entry can block.
        await using var a = await EdgeNode.StartAsync(Toml(prefix, RateLimit(1000)));
        await using var b = await EdgeNode.StartAsync(Toml(prefix, RateLimit(1000)));
        Assert.Equal(200, await b.GetStatusAsync("/before"));

        a.Stores.PenaltyBox.Add("per-client|127.0.0.1", TimeSpan.FromMinutes(1));

        await Poll.UntilAsync(async () => await b.GetStatusAsync("/after") == 429, "edge B to block the client boxed at edge A");
        var record = await DecisionWait.ForAsync(b.Decisions, "penalty");
        Assert.Equal("penalty", record.Decision);
        Assert.Equal("in penalty box", record.Reason);
    }

    [Fact]
    public async Task Feedback_ObservedAtA_BlocksAtB()
    {
        var prefix = RedisServerFixture.NewPrefix();
        await using var a = await EdgeNode.StartAsync(Toml(prefix));
        await using var b = await EdgeNode.StartAsync(Toml(prefix));
        Assert.Equal(200, await b.GetStatusAsync("/before"));

        a.Host.Feedback.Observe("web", "127.0.0.1", "gpt0", 1);

        Assert.Equal(429, await a.GetStatusAsync("/at-a"));
        await Poll.UntilAsync(async () => await b.GetStatusAsync("/at-b") == 429, "edge B to block the client boxed by edge A's feedback rule");
        var record = await DecisionWait.ForAsync(b.Decisions, "penalty");
        Assert.Equal("penalty", record.Decision);
        Assert.Equal("feedback:bad-paths", record.Rule);
        Assert.Equal("gpt0 > 0 at balancer table web", record.Reason);
    }

    [Fact]
    public async Task Feedback_SignalFromBalancer_BlocksAtBothEdges()
    {
        var prefix = RedisServerFixture.NewPrefix();
        await using var a = await EdgeNode.StartAsync(Toml(prefix));
        await using var b = await EdgeNode.StartAsync(Toml(prefix));
        Assert.Equal(200, await a.GetStatusAsync("/before"));
        Assert.Equal(200, await b.GetStatusAsync("/before"));

        // "Balancer 1": its own Redis connection and bus, and the rules of the same edge.toml.
        var rules = EdgeConfigLoader.Parse(Toml(prefix), "/tmp/edge.toml", new Dictionary<string, string>()).Feedback;
        await using var connection = await _redis.ConnectAsync(prefix);
        using var bus = new RedisSignalBus(connection, prefix);
        var publisher = new FeedbackPublisher(rules, bus, a.Logs.CreateLogger("balancer"), TimeProvider.System);

        var clock = Stopwatch.StartNew();
        publisher.Observe("web", "127.0.0.1", "gpt0", 1);
        await Poll.UntilAsync(async () => await a.GetStatusAsync("/a") == 429, "edge A to apply the signal");
        var atA = clock.Elapsed;
        await Poll.UntilAsync(async () => await b.GetStatusAsync("/b") == 429, "edge B to apply the signal");
        var atB = clock.Elapsed;
        _output.WriteLine($"signal to block: edge A {atA.TotalMilliseconds:F0} ms, edge B {atB.TotalMilliseconds:F0} ms");

        Assert.Equal("feedback:bad-paths", (await DecisionWait.ForAsync(a.Decisions, "penalty")).Rule);
        Assert.Equal("feedback:bad-paths", (await DecisionWait.ForAsync(b.Decisions, "penalty")).Rule);
        // Each edge logs the boxing at most once, just after it adds the entry, so the count is polled.
        // Either edge may log nothing, because it can block through the entry the other edge wrote to Redis
        // before its own copy of the signal arrives.
        await Poll.UntilAsync(() => Task.FromResult(a.Logs.Count(2050) + b.Logs.Count(2050) >= 1), "an edge to log the boxing");
        Assert.InRange(a.Logs.Count(2050), 0, 1);
        Assert.InRange(b.Logs.Count(2050), 0, 1);
        Assert.InRange(a.Logs.Count(2050) + b.Logs.Count(2050), 1, 2);
    }

    [Fact]
    public async Task KeyRing_RotatedAtA_PublishedByB()
    {
        var prefix = RedisServerFixture.NewPrefix();
        const string Keys = "[keys]\nstore = \"redis\"\n";
        await using var a = await EdgeNode.StartAsync(Toml(prefix, Keys));
        await using var b = await EdgeNode.StartAsync(Toml(prefix, Keys));
        var before = await b.Client.GetStringAsync(EdgeHost.JwksPath);
        Assert.Contains(a.Stores.KeyRing.CurrentKeyId, before, StringComparison.Ordinal);

        var rotated = a.Stores.KeyRing.Rotate();
        Assert.DoesNotContain(rotated.KeyId, before, StringComparison.Ordinal);

        // B re-reads Redis at the first access after ReloadInterval (5 s). A reload that times out on a busy
        // machine keeps the old keys for another interval, so the deadline allows more than one interval.
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(
            async () => (await b.Client.GetStringAsync(EdgeHost.JwksPath)).Contains(rotated.KeyId, StringComparison.Ordinal),
            "edge B's JWKS to publish the key rotated at edge A");
        _output.WriteLine($"rotated key published by edge B after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
