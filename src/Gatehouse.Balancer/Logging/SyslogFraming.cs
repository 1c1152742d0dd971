using System.Globalization;
using System.Text;

namespace Gatehouse.Balancer.Logging;

/// <summary>Frames one access log line for a target: the syslog header of its format, the length limit and a newline.</summary>
internal static class SyslogFraming
{
    private static readonly string Host = Environment.MachineName;

    public static byte[] Frame(LogTarget target, string message, DateTimeOffset time)
    {
        var priority = target.Facility * 8 + LogTarget.InfoLevel;
        var local = time.ToLocalTime();
        var header = target.Format switch
        {
            LogLineFormat.Rfc3164 => string.Create(CultureInfo.InvariantCulture,
                $"<{priority}>{local.ToString("MMM", CultureInfo.InvariantCulture)} {local.Day,2} {local:HH:mm:ss} haproxy[{Environment.ProcessId}]: "),
            LogLineFormat.Rfc5424 => string.Create(CultureInfo.InvariantCulture,
                $"<{priority}>1 {local:yyyy-MM-ddTHH:mm:ss.ffffffzzz} {Host} haproxy {Environment.ProcessId} - - "),
            LogLineFormat.Short => string.Create(CultureInfo.InvariantCulture, $"<{priority}>"),
            _ => "",
        };
        var line = header + message;

        // The limit counts the header, as HAProxy's `len` does, and leaves room for the newline.
        if (line.Length > target.MaxLength - 1)
        {
            line = line[..(target.MaxLength - 1)];
        }

        return Encoding.UTF8.GetBytes(line + "\n");
    }
}
