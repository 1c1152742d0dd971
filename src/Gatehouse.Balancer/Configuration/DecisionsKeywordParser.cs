using System.Globalization;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Reads the Gatehouse-specific <c>gatehouse-decisions</c> lines of the global section, one destination per line:
/// <code>
/// gatehouse-decisions file PATH [max-size SIZE] [max-age TIME] [keep COUNT]
/// gatehouse-decisions stdout
/// gatehouse-decisions syslog [udp@|tcp@]HOST[:PORT] [facility NAME|NUMBER]
/// gatehouse-decisions otlp URL [protocol http/protobuf|grpc] [service-name NAME]
/// gatehouse-decisions queue-capacity COUNT
/// </code>
/// SIZE takes HAProxy's k, m and g suffixes (binary multiples) and TIME HAProxy's time units.
/// A relative PATH resolves against the folder of the file that contains the line.
/// </summary>
internal sealed class DecisionsKeywordParser(ConfigErrors errors)
{
    public const string Keyword = "gatehouse-decisions";

    /// <summary>Maximum destinations in one configuration, so a pasted block cannot open an unbounded number of writers.</summary>
    public const int MaxDestinations = 8;

    public const string DefaultServiceName = "gatehouse-balancer";

    private const long MaxKeepFiles = 100_000;
    private const string Usage = "'gatehouse-decisions' expects 'file PATH', 'stdout', 'syslog [udp@|tcp@]HOST:PORT', 'otlp URL' or 'queue-capacity COUNT'";

    private readonly List<RotatingFileOptions> _files = [];
    private readonly List<SyslogOptions> _syslog = [];
    private readonly List<OtlpLogOptions> _otlp = [];
    private ConfigLocation? _stdout;
    private ConfigLocation? _queueCapacityLine;
    private int? _queueCapacity;

    public DecisionSinkOptions Finish() => new()
    {
        Files = _files,
        Stdout = _stdout is not null,
        Syslog = _syslog,
        Otlp = _otlp,
        QueueCapacity = _queueCapacity,
    };

    public void Parse(ConfigLine line, string baseDirectory)
    {
        var kind = line.Count > 1 ? line[1] : "";
        if (kind is "file" or "stdout" or "syslog" or "otlp" && _files.Count + _syslog.Count + _otlp.Count + (_stdout is null ? 0 : 1) >= MaxDestinations)
        {
            errors.Add(line.Location, $"'{Keyword}': at most {MaxDestinations} destinations are supported; remove one of the earlier lines");
            return;
        }

        switch (kind)
        {
            case "file":
                ParseFile(line, baseDirectory);
                break;
            case "stdout":
                ParseStdout(line);
                break;
            case "syslog":
                ParseSyslog(line);
                break;
            case "otlp":
                ParseOtlp(line);
                break;
            case "queue-capacity":
                ParseQueueCapacity(line);
                break;
            default:
                errors.Add(line.Location, kind.Length == 0 ? Usage : $"{Usage}, got '{kind}'");
                break;
        }
    }

    private void ParseFile(ConfigLine line, string baseDirectory)
    {
        if (line.Count < 3 || line[2].Trim().Length == 0)
        {
            errors.Add(line.Location, $"'{Keyword} file' expects a path, such as '{Keyword} file decisions/balancer.jsonl'");
            return;
        }

        var defaults = new RotatingFileOptions { Path = line[2] };
        var maxBytes = defaults.MaxBytes;
        var maxAge = defaults.MaxAge;
        var keep = (long)defaults.KeepFiles;
        var valid = ReadOptions(line, 3, "file", ["max-size", "max-age", "keep"], (option, value) => option switch
        {
            "max-size" => TryParseSize(value, out maxBytes)
                ? null
                : $"expects a size from {DecisionSinkOptions.MinFileBytes} bytes to 64g with an optional k, m or g suffix, such as 64m",
            "max-age" => TimeValue.TryParse(value, out maxAge) && maxAge >= TimeSpan.FromSeconds(1) && maxAge <= DecisionSinkOptions.MaxFileAge
                ? null
                : $"expects a time from 1s to 366d, such as 1h or 7d",
            _ => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out keep) && keep <= MaxKeepFiles
                ? null
                : $"expects a count of rotated files from 0 to {MaxKeepFiles} (0 keeps all)",
        });
        if (valid)
        {
            _files.Add(new RotatingFileOptions { Path = Path.GetFullPath(line[2], baseDirectory), MaxBytes = maxBytes, MaxAge = maxAge, KeepFiles = (int)keep });
        }
    }

    private void ParseStdout(ConfigLine line)
    {
        if (line.Count > 2)
        {
            errors.Add(line.Location, $"'{Keyword} stdout' takes no arguments, got '{line[2]}'");
        }
        else if (_stdout is { } earlier)
        {
            errors.Add(line.Location, $"'{Keyword} stdout' is already set at {earlier}; remove this line");
        }
        else
        {
            _stdout = line.Location;
        }
    }

    private void ParseSyslog(ConfigLine line)
    {
        var target = line.Count > 2 ? line[2] : "";
        var transport = target.StartsWith("tcp@", StringComparison.Ordinal) ? SyslogTransport.Tcp : SyslogTransport.Udp;
        var address = target.StartsWith("tcp@", StringComparison.Ordinal) || target.StartsWith("udp@", StringComparison.Ordinal) ? target[4..] : target;
        if (!SyslogFacilities.TryParseAddress(address, out var host, out var port))
        {
            errors.Add(line.Location, $"'{Keyword} syslog' expects [udp@|tcp@]HOST[:PORT], such as udp@127.0.0.1:514, got '{target}'");
            return;
        }

        var facility = 16;
        var valid = ReadOptions(line, 3, "syslog", ["facility"], (_, value) =>
            SyslogFacilities.TryParse(value, out facility) ? null : $"expects {SyslogFacilities.Expected}");
        if (valid)
        {
            _syslog.Add(new SyslogOptions { Host = host, Port = port, Transport = transport, Facility = facility });
        }
    }

    private void ParseOtlp(ConfigLine line)
    {
        var url = line.Count > 2 ? line[2] : "";
        if (OtlpTraceOptions.ValidateEndpoint(url) is { } problem)
        {
            errors.Add(line.Location, $"'{Keyword} otlp' {problem}");
            return;
        }

        var protocol = OtlpTraceOptions.HttpProtobuf;
        var serviceName = DefaultServiceName;
        var valid = ReadOptions(line, 3, "otlp", ["protocol", "service-name"], (option, value) =>
        {
            if (option == "protocol")
            {
                protocol = value;
                return OtlpTraceOptions.ValidateProtocol(value) is null
                    ? null
                    : $"expects {OtlpTraceOptions.HttpProtobuf} or {OtlpTraceOptions.Grpc}";
            }

            serviceName = value;
            return value.Trim().Length == 0 ? "expects a non-empty name, such as gatehouse-balancer" : null;
        });
        if (valid)
        {
            _otlp.Add(new OtlpLogOptions(new Uri(url), serviceName, protocol));
        }
    }

    private void ParseQueueCapacity(ConfigLine line)
    {
        if (_queueCapacityLine is { } earlier)
        {
            errors.Add(line.Location, $"'{Keyword} queue-capacity' is already set at {earlier}; remove this line");
        }
        else if (line.Count == 3 && int.TryParse(line[2], NumberStyles.None, CultureInfo.InvariantCulture, out var capacity)
            && capacity is >= 1 and <= DecisionSinkOptions.MaxQueueCapacity)
        {
            _queueCapacity = capacity;
            _queueCapacityLine = line.Location;
        }
        else
        {
            errors.Add(line.Location, $"'{Keyword} queue-capacity' expects one count from 1 to {DecisionSinkOptions.MaxQueueCapacity}, such as 16384");
        }
    }

    /// <summary>
    /// Reads "NAME VALUE" pairs from word <paramref name="start"/> on. <paramref name="read"/> returns a problem or null.
    /// Reports every problem and returns false when there was one.
    /// </summary>
    private bool ReadOptions(ConfigLine line, int start, string kind, string[] names, Func<string, string, string?> read)
    {
        var valid = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i < line.Count; i += 2)
        {
            var option = line[i];
            string? problem;
            if (!names.Contains(option))
            {
                problem = $"unknown option '{option}'; expected {string.Join(", ", names)}";
            }
            else if (!seen.Add(option))
            {
                problem = $"option '{option}' is given twice; keep one";
            }
            else if (i + 1 >= line.Count)
            {
                problem = $"option '{option}' needs a value";
            }
            else
            {
                problem = read(option, line[i + 1]) is { } valueProblem ? $"'{option}' {valueProblem}, got '{line[i + 1]}'" : null;
            }

            if (problem is not null)
            {
                errors.Add(line.Location, $"'{Keyword} {kind}': {problem}");
                valid = false;
            }
        }

        return valid;
    }

    // HAProxy sizes use binary multiples: 1k is 1024 bytes and 1m is 1048576.
    private static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var multiplier = text.Length == 0 ? 1L : char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > DecisionSinkOptions.MaxFileBytes / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return bytes is >= DecisionSinkOptions.MinFileBytes and <= DecisionSinkOptions.MaxFileBytes;
    }
}
