using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Tests;

public sealed class DecisionLogWriterTests
{
    private const int Capacity = 8;

    [Fact]
    public async Task DecisionLog_BlockedWriter_OthersKeepUp()
    {
        var logger = new CollectingLogger();
        var blocking = new BlockingWriter();
        var memory = new MemoryWriter();
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var options = new DecisionLogOptions { QueueCapacity = Capacity, TimeProvider = time, DropReportInterval = TimeSpan.FromMinutes(1) };
        await using var log = new DecisionLog([blocking, memory], logger, options);

        log.Write(TestData.Record("r0"));
        await blocking.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < 100; i++)
        {
            log.Write(TestData.Record($"r{i}"));
            // Each record waits for the fast writer, so its queue never overflows while the blocked one does.
            Assert.True(await TestData.PollAsync(() => memory.Lines.Count == i + 1));
        }

        var status = log.Status;
        Assert.Equal(0, status[1].Dropped);
        Assert.Equal(100, status[1].Written);
        // The blocked writer holds one record in its write call and Capacity in its queue.
        Assert.Equal(100 - Capacity - 1, status[0].Dropped);
        Assert.Equal(100 - Capacity - 1, log.Dropped);
        blocking.Release();
    }

    [Fact]
    public async Task DecisionLog_Drops_LoggedOncePerInterval()
    {
        var logger = new CollectingLogger();
        var blocking = new BlockingWriter();
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var options = new DecisionLogOptions { QueueCapacity = Capacity, TimeProvider = time, DropReportInterval = TimeSpan.FromMinutes(1) };
        await using var log = new DecisionLog([blocking], logger, options);

        log.Write(TestData.Record("first"));
        await blocking.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < Capacity + 50; i++)
        {
            log.Write(TestData.Record($"r{i}"));
        }

        Assert.Equal(50, log.Dropped);
        Assert.Equal(1, logger.Count(1002));

        time.Advance(TimeSpan.FromMinutes(2));
        log.Write(TestData.Record("late"));
        Assert.Equal(2, logger.Count(1002));
        Assert.Contains(logger.Events, e => e.EventId == 1002 && e.Message.Contains("50 records dropped since the last report, 51 in all", StringComparison.Ordinal));

        blocking.Release();
        Assert.True(await TestData.PollAsync(() => blocking.DroppedReported == 51));
    }

    [Fact]
    public async Task DecisionLog_Dispose_SealsFileWithAllRecords()
    {
        var directory = TestData.TempDirectory();
        var (signer, keys) = TestData.KeyPair();
        var path = Path.Combine(directory, "edge-decisions.jsonl");
        await using (var log = new DecisionLog(path, new CollectingLogger(), signer))
        {
            for (var i = 0; i < 50; i++)
            {
                log.Write(TestData.Record($"r{i}"));
            }
        }

        var report = Audit.DecisionFileVerifier.Verify(path, keys);
        Directory.Delete(directory, recursive: true);
        Assert.Equal(Audit.DecisionFileState.Sealed, report.State);
        Assert.Equal(50, report.Records);
        Assert.Equal("test-key", report.KeyId);
    }

    [Fact]
    public async Task StdoutWriter_Write_EmitsJsonLines()
    {
        var output = new StringWriter();
        await using (var log = new DecisionLog([new StdoutDecisionWriter(output)], new CollectingLogger()))
        {
            log.Write(TestData.Record("a"));
            log.Write(TestData.Record("b"));
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("a", DecisionLog.Deserialize(lines[0])!.RequestId);
        Assert.Equal("b", DecisionLog.Deserialize(lines[1])!.RequestId);
    }
}
