using System.Collections.Concurrent;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using StackExchange.Redis;

namespace Gatehouse.Signals.Tests.Redis;

/// <summary>Each test kills its own redis-server mid-test and restarts it on the same port.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private const int LostEvent = 5001;
    private const int RestoredEvent = 5002;

    private readonly RedisServer _server = RedisServer.Start();
    private readonly string _prefix = RedisServerFixture.NewPrefix();
    private readonly List<IDisposable> _disposables = [];

    [Fact]
    public async Task RateCounter_RedisRestart_SharesAgain()
    {
        var logger = new EventIdLogger();
        var clock = new ManualTimeProvider();
        await using var nodeA = new RedisRateCounter(await ConnectAsync(), _prefix, clock, logger, Timeout.InfiniteTimeSpan);
        await using var nodeB = new RedisRateCounter(await ConnectAsync(), _prefix, clock, null, Timeout.InfiniteTimeSpan);
        nodeA.Increment("client", 10);
        nodeB.Increment("client", 5);
        await nodeA.FlushAsync();
        await nodeB.FlushAsync();
        await nodeA.FlushAsync();
        Assert.Equal(15, nodeA.LookupCount("client", 10));

        _server.Kill();
        for (var i = 0; i < 5; i++)
        {
            nodeA.Increment("client", 1);
            await nodeA.FlushAsync();
        }

        Assert.Equal(20, nodeA.LookupCount("client", 10));
        Assert.Equal(1, logger.Count(LostEvent));

        _server.Restart();
        await Poll.UntilAsync(
            async () =>
            {
                await nodeA.FlushAsync();
                await nodeB.FlushAsync();
                return nodeB.LookupCount("client", 10) == 5;
            },
            "node B to read node A's events counted during the outage");

        // The restarted Redis has no persistence, so only the deltas sent after the restart are shared.
        Assert.Equal(5, nodeA.LookupCount("client", 10));
        Assert.Equal(1, logger.Count(LostEvent));
        Assert.Equal(1, logger.Count(RestoredEvent));
    }

    [Fact]
    public async Task PenaltyBox_RedisRestart_ResendsEntries()
    {
        var logger = new EventIdLogger();
        var nodeA = Track(new RedisPenaltyBox(await ConnectAsync(), _prefix, TimeProvider.System, logger));
        var nodeB = Track(new RedisPenaltyBox(await ConnectAsync(), _prefix, TimeProvider.System, null, 100, TimeSpan.Zero));
        nodeA.Add("before", TimeSpan.FromMinutes(5));
        await Poll.UntilAsync(() => nodeB.Has("before"), "node B to learn the entry");

        _server.Kill();
        nodeA.Add("during", TimeSpan.FromMinutes(5));

        Assert.True(nodeB.Has("before"));
        Assert.True(nodeA.Has("before"));
        Assert.True(nodeA.Has("during"));
        Assert.False(nodeB.Has("during"));
        Assert.False(nodeA.Has("unknown"));
        Assert.Equal(1, logger.Count(LostEvent));

        _server.Restart();
        await Poll.UntilAsync(() => nodeB.Has("during"), "node A to resend the entry added during the outage");
        Assert.True(nodeB.Has("before"));
        Assert.Equal(1, logger.Count(LostEvent));
    }

    [Fact]
    public async Task SignalBus_RedisRestart_DeliversAgain()
    {
        var logger = new EventIdLogger();
        var nodeA = Track(new RedisSignalBus(await ConnectAsync(), _prefix, logger));
        var nodeB = Track(new RedisSignalBus(await ConnectAsync(), _prefix));
        var received = new ConcurrentQueue<FeedbackSignal>();
        using var subscription = nodeB.Subscribe(received.Enqueue);
        var signal = new FeedbackSignal(
            "per_user", FeedbackKeyKind.Subject, "alice", FeedbackAction.RateLimit, TimeSpan.FromMinutes(1), "slow-down", "gpc0", 3);

        _server.Kill();
        Assert.False(await nodeA.PublishAsync(signal));
        Assert.False(await nodeA.PublishAsync(signal));
        Assert.Equal(1, logger.Count(LostEvent));

        _server.Restart();
        await Poll.UntilAsync(
            async () => await nodeA.PublishAsync(signal) && !received.IsEmpty,
            "a signal published after the restart to arrive");
        Assert.Equal(1, logger.Count(LostEvent));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var connection = await new Gatehouse.Signals.Redis.RedisOptions
        {
            Endpoints = [_server.Endpoint],
            KeyPrefix = _prefix,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }.ConnectAsync();
        _disposables.Add(connection);
        return connection;
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
