using Gatehouse.Signals.Redis;
using Gatehouse.Signals.RateLimiting;
using Gatehouse.Signals.Tests.Redis;
using StackExchange.Redis;

namespace Gatehouse.Signals.Tests.RateLimiting;

public sealed class RedisPenaltyBoxTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private readonly string _prefix = RedisServerFixture.NewPrefix();
    private readonly List<IDisposable> _disposables = [];

    public RedisPenaltyBoxTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    [Fact]
    public async Task Has_EntryAddedOnOtherNode_ReturnsTrue()
    {
        var nodeA = await CreateNodeAsync();
        var nodeB = await CreateNodeAsync(absentCacheTtl: TimeSpan.Zero);

        nodeA.Add("client", TimeSpan.FromMinutes(2));

        await Poll.UntilAsync(() => nodeB.Has("client"), "node B to see the entry");
        var remaining = nodeB.RemainingTtl("client");
        Assert.NotNull(remaining);
        Assert.InRange(remaining.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
        Assert.False(nodeB.Has("someone-else"));
    }

    [Fact]
    public async Task Add_WritesKeyWithTruncatedTtl()
    {
        var node = await CreateNodeAsync();
        using var direct = await _redis.ConnectAsync(_prefix);

        node.Add("client", TimeSpan.FromSeconds(150));

        TimeSpan? ttl = null;
        await Poll.UntilAsync(
            async () => (ttl = await direct.GetDatabase().KeyTimeToLiveAsync(_prefix + "pb:client")) is not null,
            "the key to be written");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Has_CachedAbsence_HidesLaterAdd()
    {
        var nodeA = await CreateNodeAsync();
        // A lookup that times out caches nothing (Redis counts as down), so node B gets a generous timeout:
        // this test is about the absence cache, not about a slow Redis on a loaded machine.
        var nodeB = await CreateNodeAsync(absentCacheTtl: TimeSpan.FromHours(1), operationTimeout: TimeSpan.FromSeconds(15));
        using var direct = await _redis.ConnectAsync(_prefix);

        Assert.False(nodeB.Has("client"));
        // The lookup reads Redis in the background, and caches the entry as absent once the read ends.
        await Poll.UntilAsync(() => nodeB.PendingLookups == 0, "node B's background read to finish");
        nodeA.Add("client", TimeSpan.FromMinutes(5));
        await Poll.UntilAsync(
            async () => await direct.GetDatabase().KeyExistsAsync(_prefix + "pb:client"), "the key to be written");

        Assert.False(nodeB.Has("client"));
    }

    [Fact]
    public async Task Has_ConcurrentLookups_OneBackgroundRead()
    {
        var nodeA = await CreateNodeAsync();
        var nodeB = await CreateNodeAsync(absentCacheTtl: TimeSpan.FromHours(1));
        nodeA.Add("client", TimeSpan.FromMinutes(5));
        using var direct = await _redis.ConnectAsync(_prefix);
        await Poll.UntilAsync(async () => await direct.GetDatabase().KeyExistsAsync(_prefix + "pb:client"), "the key to be written");

        // Many lookups at once on a node that has not seen the entry: none waits for Redis, and they share one read.
        Enumerable.Range(0, 64).AsParallel().ForAll(_ => nodeB.Has("client"));
        var pending = nodeB.PendingLookups;

        Assert.InRange(pending, 0, 1);
        await Poll.UntilAsync(() => nodeB.Has("client"), "node B to learn the entry from its background read");
    }

    [Fact]
    public async Task Add_LocalCacheFull_RedisKeepsEntry()
    {
        var nodeA = await CreateNodeAsync(maxLocalEntries: 2);
        var nodeB = await CreateNodeAsync(absentCacheTtl: TimeSpan.Zero);

        nodeA.Add("first", TimeSpan.FromMinutes(1));
        nodeA.Add("second", TimeSpan.FromMinutes(2));
        nodeA.Add("third", TimeSpan.FromMinutes(3));

        Assert.Equal(2, nodeA.Count);
        await Poll.UntilAsync(() => nodeB.Has("first"), "node B to see the evicted entry in Redis");
        // Node A evicted the entry locally, so its first lookup starts a background read and a later one finds it.
        await Poll.UntilAsync(() => nodeA.Has("first"), "node A to read the evicted entry back from Redis");
    }

    [Theory]
    [InlineData(59)]
    [InlineData(3_660)]
    public async Task Add_TtlOutsideOneToSixtyMinutes_Throws(int ttlSeconds)
    {
        var node = await CreateNodeAsync();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => node.Add("client", TimeSpan.FromSeconds(ttlSeconds)));

        Assert.Equal("ttl", error.ParamName);
        Assert.False(node.Has("client"));
    }

    [Fact]
    public async Task CheckRate_TwoNodesShareLimit_SecondNodeBlocks()
    {
        using var connectionA = await _redis.ConnectAsync(_prefix);
        using var connectionB = await _redis.ConnectAsync(_prefix);
        await using var counterA = new RedisRateCounter(connectionA, _prefix, TimeProvider.System, null, Timeout.InfiniteTimeSpan);
        await using var counterB = new RedisRateCounter(connectionB, _prefix, TimeProvider.System, null, Timeout.InfiniteTimeSpan);
        var limiterA = new RateLimiter(counterA, await CreateNodeAsync());
        var limiterB = new RateLimiter(counterB, await CreateNodeAsync(absentCacheTtl: TimeSpan.Zero));

        for (var i = 0; i < 18; i++)
        {
            Assert.False(limiterA.CheckRate("client", 1, 10, 1, TimeSpan.FromMinutes(1)).Blocked);
        }

        Assert.False(limiterB.CheckRate("client", 1, 10, 1, TimeSpan.FromMinutes(1)).Blocked);
        await counterA.FlushAsync();
        await counterB.FlushAsync();
        var decisions = Enumerable.Range(0, 2).Select(_ => limiterB.CheckRate("client", 1, 10, 1, TimeSpan.FromMinutes(1))).ToList();

        Assert.True(decisions[0].Blocked);
        Assert.Equal(2, decisions[0].CurrentRate);
        Assert.True(decisions[1].Blocked);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        return Task.CompletedTask;
    }

    private async Task<RedisPenaltyBox> CreateNodeAsync(TimeSpan? absentCacheTtl = null, int maxLocalEntries = 100, TimeSpan? operationTimeout = null)
    {
        var options = _redis.Options(_prefix);
        var connection = operationTimeout is { } timeout
            ? await new RedisOptions { Endpoints = options.Endpoints, KeyPrefix = _prefix, ConnectTimeout = options.ConnectTimeout, OperationTimeout = timeout }.ConnectAsync()
            : await _redis.ConnectAsync(_prefix);
        _disposables.Add(connection);
        var box = new RedisPenaltyBox(connection, _prefix, TimeProvider.System, null, maxLocalEntries, absentCacheTtl);
        _disposables.Add(box);
        return box;
    }
}
