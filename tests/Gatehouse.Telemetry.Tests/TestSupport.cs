using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Tests;

/// <summary>A clock that moves only when a test advances it.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Keeps every log event id and message, so tests assert on logging by event id.</summary>
internal sealed class CollectingLogger : ILogger
{
    public ConcurrentQueue<(int EventId, string Message)> Events { get; } = new();

    public int Count(int eventId) => Events.Count(e => e.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId.Id, formatter(state, exception)));
}

/// <summary>A writer that keeps records in memory.</summary>
internal sealed class MemoryWriter : IDecisionWriter
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Name => "memory";

    public ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        Lines.Enqueue(json);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A writer whose first write blocks until released, as a hung destination does.</summary>
internal sealed class BlockingWriter : IDecisionWriter
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _written;

    /// <summary>Completes when the first write call starts, so the record is off the queue.</summary>
    public Task Entered => _entered.Task;

    public int Written => Volatile.Read(ref _written);

    public long DroppedReported { get; private set; }

    public string Name => "blocking";

    public void Release() => _gate.TrySetResult();

    public async ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _written);
    }

    public void RecordsDropped(long count) => DroppedReported += count;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal static class TestData
{
    public static DecisionRecord Record(string id, string tier = "edge", string decision = "forward") => new()
    {
        Time = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        Tier = tier,
        RequestId = id,
        Decision = decision,
        Status = 200,
    };

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gatehouse-audit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A new P-256 signer and a resolver that contains its public key.</summary>
    public static (EcdsaCheckpointSigner Signer, CheckpointKeySet Keys) KeyPair(string keyId = "test-key")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = new CheckpointKeySet();
        keys.Add(keyId, ECDsa.Create(key.ExportParameters(includePrivateParameters: false)));
        return (new EcdsaCheckpointSigner(keyId, key), keys);
    }

    public static async Task<bool> PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
