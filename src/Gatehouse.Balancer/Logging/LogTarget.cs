using System.Globalization;
using System.Net;

namespace Gatehouse.Balancer.Logging;

/// <summary>How a log line is framed: HAProxy's `format` argument of the `log` keyword.</summary>
internal enum LogLineFormat
{
    /// <summary>The BSD syslog header "&lt;PRI&gt;Mmm dd hh:mm:ss haproxy[PID]: ", HAProxy's default.</summary>
    Rfc3164,

    /// <summary>The RFC 5424 header "&lt;PRI&gt;1 TIMESTAMP HOST haproxy PID - - ".</summary>
    Rfc5424,

    /// <summary>The message alone.</summary>
    Raw,

    /// <summary>"&lt;PRI&gt;" and the message, for a local collector that adds the rest.</summary>
    Short,
}

/// <summary>
/// One `log` line: where lines go (a UDP syslog address, stdout or stderr), the framing, the syslog facility and the
/// highest severity sent. Access log lines have severity info (6), so a level below info sends none of them.
/// </summary>
internal sealed record LogTarget(IPEndPoint? EndPoint, TextWriterKind Stream, LogLineFormat Format, int Facility, int MaxLevel, int MaxLength)
{
    public const int DefaultMaxLength = 1024;

    /// <summary>The highest accepted `len`, which keeps one line within one UDP datagram.</summary>
    public const int MaxLengthLimit = 65_000;

    public static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit",
        "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    public static readonly string[] Levels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    public const int InfoLevel = 6;

    public override string ToString() => EndPoint?.ToString() ?? Stream.ToString().ToLowerInvariant();

    internal static int IndexOf(string[] names, string name) => Array.IndexOf(names, name);

    internal static bool TryParseLength(string text, out int length) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length) && length is >= 80 and <= MaxLengthLimit;
}

/// <summary>Where a log target writes when it is not a network address.</summary>
internal enum TextWriterKind
{
    None,
    Stdout,
    Stderr,
}
