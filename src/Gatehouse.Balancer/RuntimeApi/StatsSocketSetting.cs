using System.Globalization;
using System.Net;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>
/// A global `stats socket` line: a unix socket path, or `ipv4@HOST:PORT` for TCP; `mode` sets the unix socket's
/// permission bits (octal); `level` (admin by default) limits what the commands may change, see <see cref="CommandAccess"/>.
/// </summary>
public sealed record StatsSocketSetting(string? Path, IPEndPoint? Endpoint, UnixFileMode? Mode, string Level)
{
    /// <summary>The most `stats socket` lines a configuration may have.</summary>
    public const int MaxSockets = 8;

    /// <summary>Parses the words after `stats socket`; returns null and adds to <paramref name="problems"/> when invalid.</summary>
    internal static StatsSocketSetting? Parse(IReadOnlyList<string> args, List<string> problems)
    {
        if (args.Count == 0)
        {
            problems.Add("'stats socket' expects a path or ipv4@HOST:PORT, such as 'stats socket /run/haproxy.sock mode 600 level admin'");
            return null;
        }

        string? path = null;
        IPEndPoint? endpoint = null;
        if (args[0].StartsWith("ipv4@", StringComparison.Ordinal))
        {
            if (!IPEndPoint.TryParse(args[0][5..], out endpoint))
            {
                problems.Add($"'stats socket' expects ipv4@HOST:PORT, such as ipv4@127.0.0.1:9999, got '{args[0]}'");
                return null;
            }
        }
        else
        {
            path = args[0].StartsWith("unix@", StringComparison.Ordinal) ? args[0][5..] : args[0];
        }

        UnixFileMode? mode = null;
        var level = "admin";
        for (var i = 1; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "mode" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                    mode = (UnixFileMode)Convert.ToInt32(value, 8);
                    break;
                case "level" when value is "user" or "operator" or "admin":
                    level = value;
                    break;
                default:
                    problems.Add($"'stats socket' expects 'mode OCTAL' or 'level user|operator|admin' after the address, got '{args[i]} {value}'");
                    return null;
            }
        }

        return new StatsSocketSetting(path, endpoint, mode, level);
    }
}
