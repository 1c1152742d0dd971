using System.Text.Json;
using Gatehouse.Signals.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gatehouse.Signals.Feedback;

/// <summary>
/// <see cref="ISignalBus"/> over Redis pub/sub on the channel <c>{keyPrefix}signals</c>, as JSON. Every node
/// subscribed to the channel receives each signal once, the publisher included.
/// </summary>
/// <remarks>
/// Pub/sub does not store messages: a node that is disconnected when a signal is published never receives
/// it. The client subscribes again by itself after a reconnect. While Redis is unreachable
/// <see cref="PublishAsync"/> returns false, and the outage is logged once.
/// </remarks>
public sealed class RedisSignalBus : ISignalBus, IDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;
    private readonly RedisHealth _health;
    private readonly SignalHandlers _handlers;

    /// <param name="redis">Client; the caller owns and disposes it.</param>
    /// <param name="keyPrefix">Prefix of the channel name, for example <see cref="RedisOptions.KeyPrefix"/>.</param>
    public RedisSignalBus(IConnectionMultiplexer redis, string keyPrefix, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _logger = logger ?? NullLogger.Instance;
        _health = new RedisHealth(_logger, "feedback signals");
        _handlers = new SignalHandlers(_logger);
        _subscriber = redis.GetSubscriber();
        _channel = RedisChannel.Literal(keyPrefix + "signals");
        try
        {
            _subscriber.Subscribe(_channel, OnMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The client records the subscription before it sends SUBSCRIBE and sends it again on every
            // reconnect, so a slow or absent Redis delays signals instead of failing the node's start.
            _health.ReportFailure(ex);
        }
    }

    /// <summary>Pub/sub channel name.</summary>
    public string Channel => _channel.ToString();

    public async Task<bool> PublishAsync(FeedbackSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var json = JsonSerializer.Serialize(signal, FeedbackSignalJsonContext.Default.FeedbackSignal);
        try
        {
            await _subscriber.PublishAsync(_channel, json).WaitAsync(cancellationToken);
            _health.ReportSuccess();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
            return false;
        }
    }

    public IDisposable Subscribe(Action<FeedbackSignal> handler) => _handlers.Add(handler);

    public void Dispose()
    {
        // Nothing waits for the reply: a node shutting down while Redis is slow must not fail on it.
        try
        {
            _subscriber.Unsubscribe(_channel, OnMessage, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        FeedbackSignal? signal;
        try
        {
            signal = JsonSerializer.Deserialize((string?)message ?? "", FeedbackSignalJsonContext.Default.FeedbackSignal);
        }
        catch (JsonException ex)
        {
            SignalsLog.SignalDropped(_logger, Channel, "invalid JSON: " + ex.Message);
            return;
        }

        if (signal is null)
        {
            SignalsLog.SignalDropped(_logger, Channel, "the message is JSON null");
            return;
        }

        _handlers.Deliver(signal);
    }
}
