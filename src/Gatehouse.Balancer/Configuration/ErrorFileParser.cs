using System.Globalization;
using System.Text;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Reads `errorfile CODE FILE`: FILE, relative to the configuration file's folder, contains a complete HTTP
/// response (status line, headers, blank line, body), as in HAProxy 2.6.
/// </summary>
internal static class ErrorFileParser
{
    /// <summary>The max file size: HAProxy limits an errorfile to its buffer size, which is 16 KiB by default.</summary>
    public const int MaxBytes = 16 * 1024;

    // Framing headers are dropped: the balancer frames the body itself.
    private static readonly HashSet<string> Framing = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
    };

    public static void Parse(ConfigLine line, ProxySection section, ConfigErrors errors)
    {
        if (line.Count != 3)
        {
            var given = line.Count > 1 ? string.Join(' ', line.Words.Skip(1)) : "nothing";
            errors.Add(line.Location, $"'errorfile' expects a status code and a file, such as 'errorfile 503 errors/503.http', got '{given}'");
            return;
        }

        var name = $"'errorfile {line[1]} {line[2]}'";
        if (!int.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || !Runtime.ErrorPages.Has(code))
        {
            errors.Add(line.Location, $"{name}: status code '{line[1]}' is not supported; use one of {Runtime.ErrorPages.Statuses}");
            return;
        }

        var path = Path.GetFullPath(line[2], Path.GetFullPath(string.IsNullOrEmpty(section.BaseDirectory) ? "." : section.BaseDirectory));
        if (Read(path, out var problem) is not { } bytes)
        {
            errors.Add(line.Location, $"{name}: {problem}");
            return;
        }

        if (ParseResponse(code, bytes, path, out problem) is not { } file)
        {
            errors.Add(line.Location, $"{name}: invalid HTTP response in file '{line[2]}': {problem}");
            return;
        }

        section.Settings.ErrorFiles = new Dictionary<int, ErrorFile>(section.Settings.ErrorFiles) { [code] = file };
    }

    private static byte[]? Read(string path, out string problem)
    {
        problem = "";
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = $"file '{path}' not found";
                return null;
            }

            if (info.Length > MaxBytes)
            {
                problem = $"file '{path}' is too large: {info.Length} bytes, max {MaxBytes}";
                return null;
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"failed to read file '{path}': {exception.Message}";
            return null;
        }
    }

    private static ErrorFile? ParseResponse(int code, byte[] bytes, string path, out string problem)
    {
        var end = IndexOf(bytes, "\r\n\r\n"u8, out var separator);
        if (end < 0)
        {
            problem = "no blank line ends the headers";
            return null;
        }

        var lines = Encoding.Latin1.GetString(bytes, 0, end).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var statusCode)
            || status[1].Length != 3 || statusCode < 100)
        {
            problem = $"the first line '{lines[0]}' is not a status line such as 'HTTP/1.1 503 Service Unavailable'";
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in lines.Skip(1))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var headerName = colon > 0 ? header[..colon] : "";
            var value = colon > 0 ? header[(colon + 1)..].Trim() : "";
            if (headerName.Length == 0 || !headerName.All(IsTokenChar) || value.Any(char.IsControl))
            {
                problem = $"'{header}' is not a header line such as 'Content-Type: text/html'";
                return null;
            }

            if (!Framing.Contains(headerName))
            {
                headers.Add(new(headerName, value));
            }
        }

        problem = "";
        return new ErrorFile(code, statusCode, status.Length > 2 ? status[2] : "", headers, bytes[(end + separator)..], path);
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> crlf, out int separator)
    {
        var crlfAt = bytes.AsSpan().IndexOf(crlf);
        var lfAt = bytes.AsSpan().IndexOf("\n\n"u8);
        if (crlfAt >= 0 && (lfAt < 0 || crlfAt < lfAt))
        {
            separator = 4;
            return crlfAt;
        }

        separator = 2;
        return lfAt;
    }

    private static bool IsTokenChar(char c) =>
        c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal);
}
