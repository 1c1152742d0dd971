using System.Globalization;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Syslog facility names and numbers (RFC 5424 section 6.2.1) and host:port parsing for configuration readers.</summary>
public static class SyslogFacilities
{
    /// <summary>The facility names in number order, as HAProxy's <c>log</c> keyword and rsyslog spell them.</summary>
    private static readonly string[] FacilityNames =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
        "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    public static IReadOnlyList<string> Names => FacilityNames;

    public const string Expected = "a facility name such as local0 (kern, user, daemon, auth, local0 to local7, ...) or a number from 0 to 23";

    /// <summary>Parses a facility name or a number from 0 to 23.</summary>
    public static bool TryParse(string text, out int facility)
    {
        var index = Array.IndexOf(FacilityNames, text.ToLowerInvariant());
        if (index >= 0)
        {
            facility = index;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out facility) && facility <= 23;
    }

    /// <summary>
    /// Parses <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or a bare host (port 514). The host must be non-empty and
    /// contain no spaces, slashes or '@'; the port must be 1 to 65535.
    /// </summary>
    public static bool TryParseAddress(string text, out string host, out int port)
    {
        host = text;
        port = 514;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (text.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(c => c <= ' ' || c is '/' or '@' or '?' or '#'))
        {
            return false;
        }

        return portText is null
            || (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535);
    }
}
