using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads the <c>[decisions]</c> section: where the edge sends decision records besides its logger, namely a
/// rotating hash-chained file, standard output, a syslog server and an OTLP logs collector.
/// </summary>
internal static class DecisionsReader
{
    private const long MaxKeepFiles = 100_000;
    private static readonly string[] FileKeys = ["max_file_bytes", "max_file_age", "keep_files"];

    /// <summary>
    /// Returns the configured destinations; an absent section configures none. Relative paths resolve against
    /// <paramref name="baseDirectory"/>. <paramref name="traces"/> is the <c>[telemetry]</c> export, whose service
    /// name and protocol the OTLP destination reuses.
    /// </summary>
    public static DecisionSinkOptions Read(SectionReader reader, string baseDirectory, OtlpTraceOptions? traces)
    {
        var file = ReadFile(reader, baseDirectory);
        var stdout = reader.Boolean("stdout", false);
        var syslog = ReadSyslog(reader);
        var otlp = ReadOtlp(reader, traces);
        int? queueCapacity = reader.Has("queue_capacity")
            ? (int)reader.Integer("queue_capacity", DecisionLog.QueueCapacity, 1, DecisionSinkOptions.MaxQueueCapacity)
            : null;
        reader.ReportUnknownKeys();
        return new DecisionSinkOptions
        {
            Files = file is null ? [] : [file],
            Stdout = stdout,
            Syslog = syslog is null ? [] : [syslog],
            Otlp = otlp is null ? [] : [otlp],
            QueueCapacity = queueCapacity,
        };
    }

    private static RotatingFileOptions? ReadFile(SectionReader reader, string baseDirectory)
    {
        var path = reader.String("file");
        var defaults = new RotatingFileOptions { Path = "-" };
        var maxBytes = reader.Integer("max_file_bytes", defaults.MaxBytes, DecisionSinkOptions.MinFileBytes, DecisionSinkOptions.MaxFileBytes);
        var maxAge = reader.Duration("max_file_age", defaults.MaxAge, TimeSpan.FromSeconds(1), DecisionSinkOptions.MaxFileAge);
        var keep = reader.Integer("keep_files", defaults.KeepFiles, 0, MaxKeepFiles);
        if (path is null)
        {
            foreach (var key in FileKeys.Where(reader.Has))
            {
                reader.Error(reader.LineOf(key), $"key '{key}' in [decisions] applies to the decision file, but the section sets no 'file'; "
                    + "add file = \"decisions/edge.jsonl\" or remove the key");
            }

            return null;
        }

        if (path.Trim().Length == 0)
        {
            reader.Error(reader.LineOf("file"), "key 'file' in [decisions] must be a file path, for example file = \"decisions/edge.jsonl\"; got \"\"");
            return null;
        }

        return new RotatingFileOptions
        {
            Path = Path.GetFullPath(path, baseDirectory),
            MaxBytes = maxBytes,
            MaxAge = maxAge,
            KeepFiles = (int)keep,
        };
    }

    private static SyslogOptions? ReadSyslog(SectionReader reader)
    {
        var url = reader.String("syslog");
        var facilityText = reader.Has("syslog_facility") ? ReadFacilityText(reader) : null;
        if (url is null)
        {
            if (reader.Has("syslog_facility"))
            {
                reader.Error(reader.LineOf("syslog_facility"), "key 'syslog_facility' in [decisions] needs 'syslog'; "
                    + "add syslog = \"udp://127.0.0.1:514\" or remove the key");
            }

            return null;
        }

        var facility = 16;
        if (facilityText is not null && !SyslogFacilities.TryParse(facilityText, out facility))
        {
            reader.Error(reader.LineOf("syslog_facility"), $"key 'syslog_facility' in [decisions] must be {SyslogFacilities.Expected}; got \"{facilityText}\"");
            return null;
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? url[..separator].ToLowerInvariant() : "";
        if (scheme is not ("udp" or "tcp") || !SyslogFacilities.TryParseAddress(url[(separator + 3)..], out var host, out var port))
        {
            reader.Error(reader.LineOf("syslog"), "key 'syslog' in [decisions] must be udp://HOST:PORT or tcp://HOST:PORT, "
                + $"for example syslog = \"udp://127.0.0.1:514\"; got \"{url}\"");
            return null;
        }

        return new SyslogOptions
        {
            Host = host,
            Port = port,
            Transport = scheme == "tcp" ? SyslogTransport.Tcp : SyslogTransport.Udp,
            Facility = facility,
        };
    }

    // The facility may be written as a name (a string) or as a number.
    private static string? ReadFacilityText(SectionReader reader) => reader.Value("syslog_facility") switch
    {
        string => reader.String("syslog_facility"),
        long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var other => other?.ToString() ?? "",
    };

    private static OtlpLogOptions? ReadOtlp(SectionReader reader, OtlpTraceOptions? traces)
    {
        var endpoint = reader.String("otlp_endpoint");
        // An invalid [telemetry] protocol is reported there, so it is not a default here.
        var traceProtocol = traces is not null && OtlpTraceOptions.ValidateProtocol(traces.Protocol) is null ? traces.Protocol : null;
        var protocol = reader.String("otlp_protocol", traceProtocol ?? OtlpTraceOptions.HttpProtobuf)!;
        if (OtlpTraceOptions.ValidateProtocol(protocol) is { } protocolProblem)
        {
            reader.Error(reader.LineOf("otlp_protocol"), $"key 'otlp_protocol' in [decisions]: {protocolProblem}");
            return null;
        }

        if (endpoint is null)
        {
            if (reader.Has("otlp_protocol"))
            {
                reader.Error(reader.LineOf("otlp_protocol"), "key 'otlp_protocol' in [decisions] needs 'otlp_endpoint'; "
                    + "add otlp_endpoint = \"http://127.0.0.1:4318\" or remove the key");
            }

            return null;
        }

        if (OtlpTraceOptions.ValidateEndpoint(endpoint) is { } endpointProblem)
        {
            reader.Error(reader.LineOf("otlp_endpoint"), $"key 'otlp_endpoint' in [decisions]: {endpointProblem}");
            return null;
        }

        return new OtlpLogOptions(new Uri(endpoint), traces?.ServiceName ?? TelemetryReader.DefaultServiceName, protocol);
    }
}
