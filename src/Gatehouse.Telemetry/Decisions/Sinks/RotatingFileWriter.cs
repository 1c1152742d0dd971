using System.Buffers;
using Gatehouse.Telemetry.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Writes decision records as hash-chained JSON lines (see <see cref="DecisionChain"/>). The active file is
/// sealed with a signed checkpoint and renamed to <c>{name}-{UTC time}.jsonl</c> when it reaches
/// <see cref="RotatingFileOptions.MaxBytes"/> or <see cref="RotatingFileOptions.MaxAge"/>; disposal seals it
/// in place. An active file left by an earlier process is renamed aside before the first write, so every
/// file contains one chain. Rotation runs between two records on the writer's task, so no record is lost to it.
/// </summary>
public sealed class RotatingFileWriter : IDecisionWriter
{
    private const int FlushThreshold = 64 * 1024;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly RotatingFileOptions _options;
    private readonly ICheckpointSigner? _signer;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold);
    private FileStream? _file;
    private string _prev = "";
    private long _count;
    private long _dropped;
    private long _pendingDrops;
    private long _bytes;
    private DateTimeOffset _openedAt;

    public RotatingFileWriter(RotatingFileOptions options, ICheckpointSigner? signer = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MaxAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeepFiles);
        _options = options;
        _signer = signer;
        _logger = logger ?? NullLogger.Instance;
        Path = System.IO.Path.GetFullPath(options.Path);
    }

    /// <summary>Absolute path of the active file.</summary>
    public string Path { get; }

    public string Name => "file " + Path;

    public void RecordsDropped(long count) => _pendingDrops += count;

    public ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        var now = _options.TimeProvider.GetUtcNow();
        if (_file is null)
        {
            Open(now);
        }
        else if (_bytes >= _options.MaxBytes || now - _openedAt >= _options.MaxAge)
        {
            Rotate(now);
        }

        AppendGapIfDropped(now);
        Append(DecisionChain.RecordLine(_prev, json));
        _count++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            FlushBuffer(toDisk: false);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_file is not null)
        {
            FlushBuffer(toDisk: false);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Seals the active file in place; the next process renames it aside.</summary>
    public ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            Seal(_options.TimeProvider.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    private void Open(DateTimeOffset now)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        if (File.Exists(Path) && new FileInfo(Path).Length > 0)
        {
            MoveAside(now);
        }

        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _buffer.ResetWrittenCount();
        _count = 0;
        _dropped = 0;
        _bytes = 0;
        _openedAt = now;
        Append(DecisionChain.HeaderLine(DecisionChain.NewNonce(), now, System.IO.Path.GetFileName(Path)));
    }

    private void Rotate(DateTimeOffset now)
    {
        var count = _count;
        Seal(now);
        var rotated = MoveAside(now);
        DecisionLogEvents.FileRotated(_logger, Path, count, rotated);
        Open(now);
    }

    private void Seal(DateTimeOffset now)
    {
        AppendGapIfDropped(now);
        Append(DecisionChain.CheckpointLine(_prev, _count, _dropped, now, _signer));
        FlushBuffer(toDisk: true);
        _file!.Dispose();
        _file = null;
    }

    private string MoveAside(DateTimeOffset now)
    {
        var rotated = RotatedFiles.NewPath(Path, now);
        File.Move(Path, rotated);
        foreach (var deleted in RotatedFiles.Prune(Path, _options.KeepFiles))
        {
            DecisionLogEvents.FileDeleted(_logger, deleted, _options.KeepFiles);
        }

        return rotated;
    }

    private void AppendGapIfDropped(DateTimeOffset now)
    {
        if (_pendingDrops > 0)
        {
            Append(DecisionChain.GapLine(_prev, _pendingDrops, now));
            _dropped += _pendingDrops;
            _pendingDrops = 0;
        }
    }

    private void Append(byte[] line)
    {
        _buffer.Write(line);
        _buffer.Write(NewLine);
        _prev = DecisionChain.Hash(line);
        _bytes += line.Length + NewLine.Length;
    }

    // Only whole lines are written, so a reader of the active file finds at most one line cut short by a crash.
    private void FlushBuffer(bool toDisk)
    {
        if (_buffer.WrittenCount > 0)
        {
            // NOTE: if this write fails, the chain in memory has moved past lines that the file lacks, so the
            // file fails verification from that point. QueuedWriter logs the failure.
            _file!.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }

        _file!.Flush(flushToDisk: toDisk);
    }
}
