using System.Globalization;
using System.Text;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Formats RFC 5424 messages: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME gatehouse PROCID decision - JSON</c>.
/// PRI is facility × 8 + 6 (informational). The JSON is pure ASCII because System.Text.Json escapes
/// every non-ASCII character by default, so the message needs no UTF-8 byte order mark.
/// </summary>
internal static class SyslogFormatter
{
    public const string AppName = "gatehouse";
    public const string MessageId = "decision";
    private const int Informational = 6;

    public static string Format(int facility, string hostName, int processId, DateTimeOffset time, string json)
    {
        var priority = (facility * 8) + Informational;
        // RFC 5424 allows at most six fraction digits in TIMESTAMP.
        var timestamp = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return $"<{priority}>1 {timestamp} {Field(hostName, 255)} {AppName} {processId} {MessageId} - {json}";
    }

    /// <summary>Returns a header field: printable ASCII without spaces, at most <paramref name="maxLength"/>, or "-" when empty.</summary>
    public static string Field(string value, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var c in value)
        {
            if (builder.Length == maxLength)
            {
                break;
            }

            if (c is >= '!' and <= '~')
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? "-" : builder.ToString();
    }

    /// <summary>Returns the TCP frame of a message: its length in octets, a space, then the message.</summary>
    public static byte[] OctetCountedFrame(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var prefix = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. body];
    }
}
