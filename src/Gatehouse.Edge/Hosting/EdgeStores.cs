using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Logging;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using Gatehouse.Trust.Keys;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gatehouse.Edge.Hosting;

/// <summary>
/// Where an edge keeps state that several edges may share: rate counters, the penalty box and the assertion
/// key ring. With a [redis] section the counters and box are in Redis, and with [keys] store = "redis" the key
/// ring too; otherwise counters and box are in memory and the ring in a key folder. Dispose after the edge.
/// </summary>
public sealed class EdgeStores : IAsyncDisposable
{
    private readonly IConnectionMultiplexer? _redis;

    private EdgeStores(
        IConnectionMultiplexer? redis, IRateCounter rateCounter, IRateCounter feedbackRateCounter, IPenaltyBox penaltyBox, KeyRing keyRing, ISignalBus signals)
    {
        _redis = redis;
        Signals = signals;
        RateCounter = rateCounter;
        FeedbackRateCounter = feedbackRateCounter;
        PenaltyBox = penaltyBox;
        KeyRing = keyRing;
    }

    public IRateCounter RateCounter { get; }

    /// <summary>Rate counters of rate_limit feedback rules; in Redis under <c>{key_prefix}feedback:</c>, apart from <see cref="RateCounter"/>.</summary>
    public IRateCounter FeedbackRateCounter { get; }

    public IPenaltyBox PenaltyBox { get; }

    public KeyRing KeyRing { get; }

    /// <summary>Feedback signal bus: Redis pub/sub shared by every node with a [redis] section, else in this process.</summary>
    public ISignalBus Signals { get; }

    /// <summary>Opens the stores <paramref name="config"/> names; <paramref name="defaultKeyDirectory"/> is used when [keys] sets no directory.</summary>
    /// <exception cref="KeyRingException">The key ring could not be opened, for example Redis refused the user.</exception>
    public static async Task<EdgeStores> OpenAsync(
        EdgeConfig config, string defaultKeyDirectory, ILoggerFactory loggers, TimeProvider time)
    {
        var trustLogger = loggers.CreateLogger("Gatehouse.Trust");
        var signalsLogger = loggers.CreateLogger("Gatehouse.Signals");
        if (config.Redis is null)
        {
            var ring = KeyRing.OpenDirectory(config.KeyDirectory ?? defaultKeyDirectory, trustLogger, time);
            return new EdgeStores(
                null, new InMemoryRateCounter(time), new InMemoryRateCounter(time), new InMemoryPenaltyBox(time), ring, new InMemorySignalBus(signalsLogger));
        }

        var redis = await config.Redis.ConnectAsync(signalsLogger);
        try
        {
            var keyRing = OpenKeyRing(config, redis, defaultKeyDirectory, trustLogger, time);
            var counter = new RedisRateCounter(redis, config.Redis.KeyPrefix, time, signalsLogger);
            var feedbackCounter = new RedisRateCounter(redis, config.Redis.KeyPrefix + "feedback:", time, signalsLogger);
            var box = new RedisPenaltyBox(redis, config.Redis.KeyPrefix, time, signalsLogger);
            EdgeLog.RedisShared(loggers.CreateLogger("Gatehouse.Edge"), config.Redis.ToString());
            var signals = OpenSignalBus(redis, config.Redis.KeyPrefix, signalsLogger, loggers.CreateLogger("Gatehouse.Edge"));
            return new EdgeStores(redis, counter, feedbackCounter, box, keyRing, signals);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    // RedisSignalBus subscribes synchronously in its constructor, which can time out on a busy machine.
    // After three failures the edge starts with a bus in this process, so Redis trouble never stops it.
    private static ISignalBus OpenSignalBus(IConnectionMultiplexer redis, string keyPrefix, ILogger signalsLogger, ILogger edgeLogger)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new RedisSignalBus(redis, keyPrefix, signalsLogger);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == 3)
                {
                    EdgeLog.FeedbackSignalsLocalOnly(edgeLogger, ex, attempt);
                    return new InMemorySignalBus(signalsLogger);
                }
            }
        }
    }

    /// <summary>Opens only the key ring, for <c>gatehouse keys</c>; the returned connection is null without Redis.</summary>
    public static async Task<(KeyRing Ring, IAsyncDisposable? Connection)> OpenKeyRingAsync(
        EdgeConfig config, string defaultKeyDirectory, ILogger logger)
    {
        if (config.Redis is null || config.KeyStore != KeyStoreKind.Redis)
        {
            return (KeyRing.OpenDirectory(config.KeyDirectory ?? defaultKeyDirectory, logger), null);
        }

        var redis = await config.Redis.ConnectAsync(logger);
        try
        {
            return (OpenKeyRing(config, redis, defaultKeyDirectory, logger, TimeProvider.System), redis);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    private static KeyRing OpenKeyRing(
        EdgeConfig config, IConnectionMultiplexer redis, string defaultKeyDirectory, ILogger logger, TimeProvider time) =>
        config.KeyStore == KeyStoreKind.Redis
            ? KeyRing.OpenRedis(redis, new RedisKeyStoreOptions { KeyPrefix = config.Redis!.KeyPrefix + "keys:" }, logger, time)
            : KeyRing.OpenDirectory(config.KeyDirectory ?? defaultKeyDirectory, logger, time);

    public async ValueTask DisposeAsync()
    {
        foreach (var counter in new[] { RateCounter, FeedbackRateCounter })
        {
            if (counter is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
        }

        (PenaltyBox as IDisposable)?.Dispose();
        (Signals as IDisposable)?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
