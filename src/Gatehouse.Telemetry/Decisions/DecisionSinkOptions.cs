using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// The decision-record destinations an operator configured, read from edge.toml's <c>[decisions]</c> section or
/// haproxy.cfg's <c>gatehouse-decisions</c> lines. <see cref="DecisionLog.Create"/> builds writers from it, the
/// same way for both tiers. An empty instance configures nothing beyond the logger.
/// </summary>
public sealed class DecisionSinkOptions
{
    /// <summary>Largest accepted <see cref="QueueCapacity"/>, about 1 GiB of queued records at 1 KiB each.</summary>
    public const int MaxQueueCapacity = 1_048_576;

    /// <summary>Largest accepted rotation size for a file destination: 64 GiB.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024 * 1024;

    /// <summary>Smallest accepted rotation size for a file destination: 4 KiB, room for a few records and the checkpoint.</summary>
    public const long MinFileBytes = 4096;

    /// <summary>Longest accepted rotation age for a file destination: 366 days.</summary>
    public static readonly TimeSpan MaxFileAge = TimeSpan.FromDays(366);

    public IReadOnlyList<RotatingFileOptions> Files { get; init; } = [];

    /// <summary>True to write each record as a JSON line to standard output.</summary>
    public bool Stdout { get; init; }

    public IReadOnlyList<SyslogOptions> Syslog { get; init; } = [];

    public IReadOnlyList<OtlpLogOptions> Otlp { get; init; } = [];

    /// <summary>Maximum records waiting per writer; null keeps <see cref="DecisionLog.QueueCapacity"/>.</summary>
    public int? QueueCapacity { get; init; }

    /// <summary>True when at least one destination is configured.</summary>
    public bool Any => Files.Count > 0 || Stdout || Syslog.Count > 0 || Otlp.Count > 0;

    /// <summary>One line per configured destination, such as <c>syslog udp 127.0.0.1:514</c>, for start-up banners.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>();
        lines.AddRange(Files.Select(file => "file " + Path.GetFullPath(file.Path)));
        if (Stdout)
        {
            lines.Add("stdout");
        }

        lines.AddRange(Syslog.Select(syslog => $"syslog {syslog.Transport.ToString().ToLowerInvariant()} {syslog.Host}:{syslog.Port}"));
        lines.AddRange(Otlp.Select(otlp => "otlp " + otlp.ExportUrl));
        return lines;
    }
}
