using System.Collections.Concurrent;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.Tests.Redis;
using StackExchange.Redis;

namespace Gatehouse.Signals.Tests.Feedback;

public sealed class SignalBusTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly FeedbackSignal Signal = new(
        "per_ip", FeedbackKeyKind.ClientIp, "192.0.2.7", FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(5),
        "abusive-clients", "http_req_rate", 312);

    private readonly RedisServerFixture _redis;
    private readonly string _prefix = RedisServerFixture.NewPrefix();
    private readonly List<IDisposable> _disposables = [];

    public SignalBusTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    [Fact]
    public async Task InMemory_Publish_ReachesEverySubscriber()
    {
        var bus = new InMemorySignalBus();
        var first = new List<FeedbackSignal>();
        var second = new List<FeedbackSignal>();
        using var firstSubscription = bus.Subscribe(first.Add);
        var secondSubscription = bus.Subscribe(second.Add);

        Assert.True(await bus.PublishAsync(Signal));
        secondSubscription.Dispose();
        Assert.True(await bus.PublishAsync(Signal with { Key = "alice", KeyKind = FeedbackKeyKind.Subject }));

        Assert.Equal(2, first.Count);
        Assert.Equal([Signal], second);
    }

    [Fact]
    public async Task InMemory_HandlerThrows_OthersStillCalledAndFailureLogged()
    {
        var logger = new EventIdLogger();
        var bus = new InMemorySignalBus(logger);
        var received = new List<FeedbackSignal>();
        using var failing = bus.Subscribe(_ => throw new InvalidOperationException("handler bug"));
        using var working = bus.Subscribe(received.Add);

        await bus.PublishAsync(Signal);

        Assert.Single(received);
        Assert.Equal(1, logger.Count(5011));
    }

    [Fact]
    public async Task Redis_PublishOnOneNode_ReachesBothNodesWithinOneSecond()
    {
        var nodeA = await CreateBusAsync();
        var nodeB = await CreateBusAsync();
        var receivedA = new ConcurrentQueue<FeedbackSignal>();
        var receivedB = new ConcurrentQueue<FeedbackSignal>();
        using var subscriptionA = nodeA.Subscribe(receivedA.Enqueue);
        using var subscriptionB = nodeB.Subscribe(receivedB.Enqueue);

        Assert.True(await nodeA.PublishAsync(Signal));

        await Poll.UntilAsync(() => !receivedB.IsEmpty && !receivedA.IsEmpty, "both nodes to receive", TimeSpan.FromSeconds(1));
        Assert.Equal(Signal, Assert.Single(receivedB));
        Assert.Equal(Signal, Assert.Single(receivedA));
    }

    [Fact]
    public async Task Redis_Publish_SendsSnakeCaseJson()
    {
        var bus = await CreateBusAsync();
        using var raw = await _redis.ConnectAsync(_prefix);
        var messages = new ConcurrentQueue<string>();
        await raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_prefix + "signals"), (_, message) => messages.Enqueue(message!));

        await bus.PublishAsync(Signal);

        await Poll.UntilAsync(() => !messages.IsEmpty, "the raw subscriber to receive");
        var json = Assert.Single(messages);
        Assert.Contains("\"key_kind\":\"client_ip\"", json, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"penalty_box\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"abusive-clients\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_InvalidMessage_DroppedAndLogged()
    {
        var logger = new EventIdLogger();
        var bus = await CreateBusAsync(logger);
        var received = new ConcurrentQueue<FeedbackSignal>();
        using var subscription = bus.Subscribe(received.Enqueue);
        using var raw = await _redis.ConnectAsync(_prefix);

        await raw.GetSubscriber().PublishAsync(RedisChannel.Literal(_prefix + "signals"), "{not json");
        await bus.PublishAsync(Signal);

        await Poll.UntilAsync(() => !received.IsEmpty, "the valid signal to arrive");
        await Poll.UntilAsync(() => logger.Count(5010) == 1, "the dropped message to be logged");
        Assert.Equal(Signal, Assert.Single(received));
    }

    [Fact]
    public async Task Redis_RateLimitSignal_KeepsAction()
    {
        var nodeA = await CreateBusAsync();
        var nodeB = await CreateBusAsync();
        using var raw = await _redis.ConnectAsync(_prefix);
        var messages = new ConcurrentQueue<string>();
        await raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_prefix + "signals"), (_, message) => messages.Enqueue(message!));
        var received = new ConcurrentQueue<FeedbackSignal>();
        using var subscription = nodeB.Subscribe(received.Enqueue);
        var limit = Signal with { Action = FeedbackAction.RateLimit, RuleName = "slow-down" };

        Assert.True(await nodeA.PublishAsync(limit));

        await Poll.UntilAsync(() => !received.IsEmpty && !messages.IsEmpty, "node B and the raw subscriber to receive");
        Assert.Equal(limit, Assert.Single(received));
        Assert.Contains("\"action\":\"rate_limit\"", Assert.Single(messages), StringComparison.Ordinal);
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

    private async Task<RedisSignalBus> CreateBusAsync(EventIdLogger? logger = null)
    {
        var connection = await _redis.ConnectAsync(_prefix);
        _disposables.Add(connection);
        var bus = new RedisSignalBus(connection, _prefix, logger);
        _disposables.Add(bus);
        return bus;
    }
}
