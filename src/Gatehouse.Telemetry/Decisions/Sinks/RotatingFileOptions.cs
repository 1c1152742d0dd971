namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Where a <see cref="RotatingFileWriter"/> writes and when it starts a new file.</summary>
public sealed class RotatingFileOptions
{
    /// <summary>The active file, such as <c>.gatehouse/run/edge-decisions.jsonl</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Size in bytes at which the active file is sealed and rotated. Default 64 MiB.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Age at which the active file is sealed and rotated, checked on each write. Default 1 hour.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Rotated files kept beside the active one; older ones are deleted. 0 keeps all. Default 48.</summary>
    public int KeepFiles { get; init; } = 48;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
