using Gatehouse.Signals.RateLimiting;
using Gatehouse.Signals.Tests.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class RedisRateCounterTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private readonly ITestOutputHelper _output;
    private readonly string _prefix = RedisServerFixture.NewPrefix();
    private readonly List<IAsyncDisposable> _disposables = [];

    public RedisRateCounterTests(RedisServerFixture redis, ITestOutputHelper output)
    {
        _redis = redis;
        _output = output;
    }

    [Fact]
    public async Task Estimate_TwoNodesAfterFlushes_EqualsGlobalCount()
    {
        var clock = new ManualTimeProvider();
        var nodeA = await CreateNodeAsync(clock);
        var nodeB = await CreateNodeAsync(clock);

        nodeA.Increment("client", 300);
        nodeB.Increment("client", 200);

        Assert.Equal(300, nodeA.LookupCount("client", 10));
        await nodeA.FlushAsync();
        Assert.Equal(300, nodeA.LookupCount("client", 10));
        await nodeB.FlushAsync();
        Assert.Equal(500, nodeB.LookupCount("client", 10));
        await nodeA.FlushAsync();
        Assert.Equal(500, nodeA.LookupCount("client", 10));
        Assert.Equal(500, nodeA.LookupRate("client", 1));
        Assert.Equal(50, nodeA.LookupRate("client", 10));
        Assert.Equal(8, nodeA.LookupRate("client", 60));
    }

    // Bound: a node's estimate lacks exactly the other node's events since that node's last flush, never more,
    // and never counts more than the events that happened.
    [Fact]
    public async Task Estimate_OtherNodeNotFlushed_LacksOnlyItsUnflushedEvents()
    {
        const int PerRound = 37;
        var clock = new ManualTimeProvider();
        var nodeA = await CreateNodeAsync(clock);
        var nodeB = await CreateNodeAsync(clock);
        var total = 0;

        for (var round = 0; round < 20; round++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            nodeA.Increment("client", PerRound);
            nodeB.Increment("client", PerRound);
            total += 2 * PerRound;

            await nodeA.FlushAsync();
            var deficitA = total - nodeA.LookupCount("client", 60);
            await nodeB.FlushAsync();
            var deficitB = total - nodeB.LookupCount("client", 60);

            Assert.Equal(PerRound, deficitA);
            Assert.Equal(0, deficitB);
        }
    }

    [Fact]
    public async Task Estimate_BackgroundFlush_ConvergesToGlobalCount()
    {
        const int PerNode = 3_000;
        var nodeA = await CreateNodeAsync(TimeProvider.System, RedisRateCounter.DefaultFlushInterval);
        var nodeB = await CreateNodeAsync(TimeProvider.System, RedisRateCounter.DefaultFlushInterval);
        long countedA = 0;
        long countedB = 0;
        var maxDeficit = 0L;

        var loadA = Task.Run(() => GenerateAsync(nodeA, PerNode, () => Interlocked.Increment(ref countedA)));
        var loadB = Task.Run(() => GenerateAsync(nodeB, PerNode, () => Interlocked.Increment(ref countedB)));
        var started = DateTime.UtcNow;
        while (!loadB.IsCompleted)
        {
            var happened = Interlocked.Read(ref countedA) + Interlocked.Read(ref countedB);
            maxDeficit = Math.Max(maxDeficit, happened - nodeA.LookupCount("client", 60));
            await Task.Delay(5);
        }

        await Task.WhenAll(loadA, loadB);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var otherNodePerInterval = PerNode / seconds * RedisRateCounter.DefaultFlushInterval.TotalSeconds;
        _output.WriteLine(
            $"Flush interval {RedisRateCounter.DefaultFlushInterval.TotalMilliseconds} ms; node B counted {PerNode / seconds:F0} events/s, " +
            $"{otherNodePerInterval:F0} per interval; largest shortfall seen on node A: {maxDeficit} events " +
            $"({maxDeficit / otherNodePerInterval:F2} intervals of node B's traffic).");

        await Poll.UntilAsync(() => nodeA.LookupCount("client", 60) == 2 * PerNode, "node A to read every event");
        await Poll.UntilAsync(() => nodeB.LookupCount("client", 60) == 2 * PerNode, "node B to read every event");
        Assert.True(maxDeficit < PerNode, $"Node A never saw node B's events: largest shortfall {maxDeficit}.");
    }

    [Fact]
    public async Task Lookups_AfterFlush_MatchInMemoryCounter()
    {
        var clock = new ManualTimeProvider();
        var shared = await CreateNodeAsync(clock);
        var local = new InMemoryRateCounter(clock);

        for (var step = 0; step < 130; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(470));
            shared.Increment("client", step % 7);
            local.Increment("client", step % 7);
            await shared.FlushAsync();

            foreach (var window in new[] { 1, 10, 60 })
            {
                Assert.Equal(local.LookupRate("client", window), shared.LookupRate("client", window));
            }

            Assert.Equal(local.LookupCount("client", 30), shared.LookupCount("client", 30));
        }
    }

    [Fact]
    public async Task Flush_WritesHashThatExpires()
    {
        var clock = new ManualTimeProvider();
        var node = await CreateNodeAsync(clock);
        using var direct = await _redis.ConnectAsync(_prefix);

        node.Increment("client", 5);
        await node.FlushAsync();

        var key = _prefix + "rc:client";
        var ttl = await direct.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61));
        var second = ManualTimeProvider.Start.ToUnixTimeSeconds();
        Assert.Equal(5, (long)await direct.GetDatabase().HashGetAsync(key, "s" + second));
    }

    [Fact]
    public async Task Flush_EntryIdleForAMinute_LeavesTable()
    {
        var clock = new ManualTimeProvider();
        var node = await CreateNodeAsync(clock);
        node.Increment("client", 1);
        await node.FlushAsync();

        clock.Advance(TimeSpan.FromSeconds(62));
        await node.FlushAsync();

        Assert.Equal(0, node.Count);
        Assert.Equal(0, node.LookupRate("client", 60));
    }

    [Fact]
    public async Task Increment_InvalidDelta_Throws()
    {
        var node = await CreateNodeAsync(new ManualTimeProvider());

        Assert.Throws<ArgumentOutOfRangeException>(() => node.Increment("client", 100_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => node.LookupRate("client", 5));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    private static async Task GenerateAsync(RedisRateCounter node, int events, Action counted)
    {
        for (var i = 1; i <= events; i++)
        {
            node.Increment("client", 1);
            counted();
            if (i % 10 == 0)
            {
                // Paces the load over about a second, so flushes happen while it runs.
                await Task.Delay(1);
            }
        }
    }

    private async Task<RedisRateCounter> CreateNodeAsync(TimeProvider clock, TimeSpan? flushInterval = null)
    {
        var connection = await _redis.ConnectAsync(_prefix);
        _disposables.Add(connection);
        var counter = new RedisRateCounter(connection, _prefix, clock, null, flushInterval ?? Timeout.InfiniteTimeSpan);
        _disposables.Add(counter);
        return counter;
    }
}
