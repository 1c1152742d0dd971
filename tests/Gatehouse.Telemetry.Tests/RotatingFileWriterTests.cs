using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Tests;

public sealed class RotatingFileWriterTests : IDisposable
{
    private readonly string _directory = TestData.TempDirectory();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly (EcdsaCheckpointSigner Signer, CheckpointKeySet Keys) _keys = TestData.KeyPair();

    private string ActivePath => Path.Combine(_directory, "edge-decisions.jsonl");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RotatingFile_SizeLimit_RotatesWithoutLosingRecords()
    {
        await using (var writer = Writer(maxBytes: 2_000, keepFiles: 0))
        {
            for (var i = 0; i < 200; i++)
            {
                await WriteAsync(writer, $"r{i}");
                _time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        var files = Directory.GetFiles(_directory, "*.jsonl");
        var ids = files.SelectMany(f => DecisionQuery.ReadRecords(f, out _)).Select(r => r.RequestId).ToList();
        Assert.True(files.Length > 5, $"expected several files, found {files.Length}");
        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
        foreach (var file in files)
        {
            Assert.Equal(DecisionFileState.Sealed, DecisionFileVerifier.Verify(file, _keys.Keys).State);
            Assert.True(new FileInfo(file).Length < 2_000 + 1_000, $"{file} is {new FileInfo(file).Length} bytes");
        }
    }

    [Fact]
    public async Task RotatingFile_AgeLimit_RotatesOnNextWrite()
    {
        await using (var writer = Writer(maxAge: TimeSpan.FromMinutes(10)))
        {
            await WriteAsync(writer, "early");
            _time.Advance(TimeSpan.FromMinutes(9));
            await WriteAsync(writer, "still-first-file");
            _time.Advance(TimeSpan.FromMinutes(1));
            await WriteAsync(writer, "second-file");
        }

        var rotated = Assert.Single(Directory.GetFiles(_directory, "edge-decisions-*.jsonl"));
        Assert.Equal("edge-decisions-20250601T121000000Z.jsonl", Path.GetFileName(rotated));
        Assert.Equal(["early", "still-first-file"], DecisionQuery.ReadRecords(rotated, out _).Select(r => r.RequestId));
        Assert.Equal(["second-file"], DecisionQuery.ReadRecords(ActivePath, out _).Select(r => r.RequestId));
    }

    [Fact]
    public async Task RotatingFile_KeepFiles_DeletesOldestRotated()
    {
        await using (var writer = Writer(maxAge: TimeSpan.FromMinutes(1), keepFiles: 2))
        {
            for (var i = 0; i < 5; i++)
            {
                await WriteAsync(writer, $"r{i}");
                _time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var rotated = Directory.GetFiles(_directory, "edge-decisions-*.jsonl").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, rotated.Count);
        Assert.Equal(["r2"], DecisionQuery.ReadRecords(rotated[0], out _).Select(r => r.RequestId));
        Assert.Equal(["r3"], DecisionQuery.ReadRecords(rotated[1], out _).Select(r => r.RequestId));
        Assert.Equal(["r4"], DecisionQuery.ReadRecords(ActivePath, out _).Select(r => r.RequestId));
    }

    [Fact]
    public async Task RotatingFile_Restart_MovesEarlierFileAside()
    {
        await using (var first = Writer())
        {
            await WriteAsync(first, "run-1");
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await using (var second = Writer())
        {
            await WriteAsync(second, "run-2");
        }

        var rotated = Assert.Single(Directory.GetFiles(_directory, "edge-decisions-*.jsonl"));
        Assert.Equal(DecisionFileState.Sealed, DecisionFileVerifier.Verify(rotated, _keys.Keys).State);
        Assert.Equal(DecisionFileState.Sealed, DecisionFileVerifier.Verify(ActivePath, _keys.Keys).State);
        Assert.Equal(["run-2"], DecisionQuery.ReadRecords(ActivePath, out _).Select(r => r.RequestId));
    }

    [Fact]
    public async Task RotatingFile_OpenFile_VerifiesAsUnsealed()
    {
        var writer = Writer();
        await WriteAsync(writer, "r1");
        await writer.FlushAsync(CancellationToken.None);

        var report = DecisionFileVerifier.Verify(ActivePath, _keys.Keys);
        await writer.DisposeAsync();
        Assert.Equal(DecisionFileState.Unsealed, report.State);
        Assert.Empty(report.Problems);
        Assert.Equal(1, report.Records);
    }

    [Fact]
    public async Task RotatingFile_DroppedRecords_WritesGapLine()
    {
        await using (var writer = Writer())
        {
            await WriteAsync(writer, "r1");
            ((IDecisionWriter)writer).RecordsDropped(7);
            await WriteAsync(writer, "r2");
        }

        var lines = await File.ReadAllLinesAsync(ActivePath);
        var report = DecisionFileVerifier.Verify(ActivePath, _keys.Keys);
        Assert.Contains("\"type\":\"gap\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"dropped\":7", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"dropped\":7", lines[^1], StringComparison.Ordinal);
        Assert.Equal(DecisionFileState.Sealed, report.State);
        Assert.Equal(7, report.Dropped);
    }

    private RotatingFileWriter Writer(long maxBytes = 1_000_000, TimeSpan? maxAge = null, int keepFiles = 10) =>
        new(new RotatingFileOptions
        {
            Path = ActivePath,
            MaxBytes = maxBytes,
            MaxAge = maxAge ?? TimeSpan.FromHours(1),
            KeepFiles = keepFiles,
            TimeProvider = _time,
        }, _keys.Signer);

    private static ValueTask WriteAsync(RotatingFileWriter writer, string id)
    {
        var record = TestData.Record(id);
        return writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
    }
}
