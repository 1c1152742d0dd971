using System.Globalization;
using System.Net;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Logging;

/// <summary>
/// Parses `log ADDRESS [len N] [format FORMAT] FACILITY [LEVEL [MINLEVEL]]` and `log global`. ADDRESS is an IPv4 or
/// IPv6 address with an optional port (514 by default, "udp@" prefix allowed), `stdout` or `stderr`.
/// </summary>
internal static class LogTargetParser
{
    private static readonly string[] Formats = ["rfc3164", "rfc5424", "raw", "short"];

    /// <summary>Returns true when the words are valid; problems are phrased to follow "'log': ".</summary>
    public static bool Validate(ConfigLine line, bool allowGlobal, ConfigErrors errors)
    {
        var words = line.Words.Skip(1).Select(word => word.Text).ToArray();
        if (words.Length == 1 && words[0] == "global")
        {
            if (!allowGlobal)
            {
                errors.Add(line.Location, "'log global' is only allowed in defaults, frontend, backend and listen sections");
            }

            return allowGlobal;
        }

        var target = TryParse(words, out var problem);
        if (target is null)
        {
            errors.Add(line.Location, $"'log': {problem}");
        }

        return target is not null;
    }

    /// <summary>Parses the words after `log`, other than "global"; null with a problem when they are invalid.</summary>
    public static LogTarget? TryParse(IReadOnlyList<string> words, out string problem)
    {
        problem = "";
        if (words.Count == 0)
        {
            problem = "expects an address, stdout or stderr, then a facility, such as 'log 127.0.0.1:514 local0'";
            return null;
        }

        var (endPoint, stream) = ParseAddress(words[0], ref problem);
        if (problem.Length > 0)
        {
            return null;
        }

        var i = 1;
        var format = LogLineFormat.Rfc3164;
        var length = LogTarget.DefaultMaxLength;
        while (i + 1 < words.Count && words[i] is "len" or "format" or "sample")
        {
            if (words[i] == "sample")
            {
                problem = "'sample' is not supported yet";
                return null;
            }

            if (words[i] == "len" && !LogTarget.TryParseLength(words[i + 1], out length))
            {
                problem = $"'len' expects a line length from 80 to {LogTarget.MaxLengthLimit}, got '{words[i + 1]}'";
                return null;
            }

            if (words[i] == "format" && Array.IndexOf(Formats, words[i + 1]) is var index && index < 0)
            {
                problem = $"unknown format '{words[i + 1]}'; expected one of {string.Join(", ", Formats)}";
                return null;
            }

            format = words[i] == "format" ? (LogLineFormat)Array.IndexOf(Formats, words[i + 1]) : format;
            i += 2;
        }

        return ParseFacilityAndLevel(words, i, endPoint, stream, format, length, ref problem);
    }

    private static LogTarget? ParseFacilityAndLevel(
        IReadOnlyList<string> words, int i, IPEndPoint? endPoint, TextWriterKind stream, LogLineFormat format, int length, ref string problem)
    {
        var facility = i < words.Count ? LogTarget.IndexOf(LogTarget.Facilities, words[i]) : -1;
        if (facility < 0)
        {
            problem = i < words.Count
                ? $"unknown facility '{words[i]}'; expected one of {string.Join(", ", LogTarget.Facilities)}"
                : "expects a facility after the address, such as 'local0'";
            return null;
        }

        var level = LogTarget.Levels.Length - 1;
        if (i + 1 < words.Count && (level = LogTarget.IndexOf(LogTarget.Levels, words[i + 1])) < 0)
        {
            problem = $"unknown level '{words[i + 1]}'; expected one of {string.Join(", ", LogTarget.Levels)}";
            return null;
        }

        if (i + 2 < words.Count && LogTarget.IndexOf(LogTarget.Levels, words[i + 2]) < 0)
        {
            problem = $"unknown minimum level '{words[i + 2]}'; expected one of {string.Join(", ", LogTarget.Levels)}";
            return null;
        }

        if (i + 3 < words.Count)
        {
            problem = $"unexpected '{words[i + 3]}' after the levels";
            return null;
        }

        return new LogTarget(endPoint, stream, format, facility, level, length);
    }

    private static (IPEndPoint? EndPoint, TextWriterKind Stream) ParseAddress(string text, ref string problem)
    {
        if (text is "stdout" or "stderr")
        {
            return (null, text == "stdout" ? TextWriterKind.Stdout : TextWriterKind.Stderr);
        }

        if (text.StartsWith('/') || text.StartsWith("unix@", StringComparison.Ordinal) || text.StartsWith("ring@", StringComparison.Ordinal)
            || text.StartsWith("tcp", StringComparison.Ordinal) || text.StartsWith("fd@", StringComparison.Ordinal))
        {
            problem = $"address '{text}' is not supported yet; use a UDP address such as 127.0.0.1:514, stdout or stderr";
            return (null, TextWriterKind.None);
        }

        var address = text.StartsWith("udp@", StringComparison.Ordinal) ? text[4..] : text.StartsWith("udp4@", StringComparison.Ordinal) || text.StartsWith("udp6@", StringComparison.Ordinal) ? text[5..] : text;
        if (IPAddress.TryParse(address, out var bare))
        {
            return (new IPEndPoint(bare, 514), TextWriterKind.None);
        }

        var colon = address.LastIndexOf(':');
        if (colon > 0 && IPAddress.TryParse(address[..colon].Trim('[', ']'), out var ip)
            && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return (new IPEndPoint(ip, port), TextWriterKind.None);
        }

        problem = $"invalid address '{text}'; expected IP[:PORT] such as 127.0.0.1:514, stdout or stderr";
        return (null, TextWriterKind.None);
    }
}
