using Gatehouse.Telemetry.Decisions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Telemetry.Tests;

public sealed class DecisionLogTests
{
    private static DecisionRecord Record(string id, string decision = "forward") => new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Tier = "edge",
        RequestId = id,
        Decision = decision,
        Status = 200,
    };

    [Fact]
    public async Task DecisionLog_Dispose_FlushesEveryRecordAsJsonLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"decisions-{Guid.NewGuid():N}.jsonl");
        await using (var log = new DecisionLog(path, NullLogger.Instance))
        {
            for (var i = 0; i < 500; i++)
            {
                log.Write(Record($"r{i}"));
            }
        }

        var lines = await File.ReadAllLinesAsync(path);
        File.Delete(path);
        // A header line, 500 records, then the checkpoint that seals the file.
        Assert.Equal(502, lines.Length);
        Assert.Equal("r0", DecisionLog.Deserialize(lines[1])!.RequestId);
        Assert.Equal("r499", DecisionLog.Deserialize(lines[^2])!.RequestId);
    }

    [Fact]
    public void DecisionRecord_Serialize_UsesSnakeCaseAndOmitsNulls()
    {
        var json = DecisionLog.Serialize(Record("abc"));

        Assert.Contains("\"request_id\":\"abc\"", json, StringComparison.Ordinal);
        Assert.Contains("\"tier\":\"edge\"", json, StringComparison.Ordinal);
        Assert.Contains("\"v\":1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecisionLog_FullQueue_DropsAndCounts()
    {
        using var blocking = new BlockingLogger();
        await using var log = new DecisionLog(filePath: null, blocking);

        // The writer blocks inside the logger on the first record, so the queue fills behind it.
        try
        {
            for (var i = 0; i < DecisionLog.QueueCapacity + 10; i++)
            {
                log.Write(Record($"r{i}"));
            }

            Assert.InRange(log.Dropped, 9, 10);
        }
        finally
        {
            blocking.Release();
        }
    }

    private sealed class BlockingLogger : ILogger, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public void Release() => _gate.Set();

        public void Dispose() => _gate.Dispose();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1001 && !_gate.IsSet)
            {
                _gate.Wait(TimeSpan.FromSeconds(30));
            }
        }
    }
}
