using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>A request exactly as the test writes it on the wire; Host and Connection: close are added.</summary>
internal sealed record ProbeRequest(string Method, string Target, params string[] Headers)
{
    public static ProbeRequest Get(string target, params string[] headers) => new("GET", target, headers);

    public override string ToString() => $"{Method} {Target}" + (Headers.Length > 0 ? $" [{string.Join("; ", Headers)}]" : "");
}

/// <summary>A parsed HTTP/1.1 response; header names are lower case and keep their order.</summary>
internal sealed record ProbeResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body);

/// <summary>
/// Sends one HTTP/1.1 request over a new TCP connection and reads the response until the server closes it.
/// Raw sockets keep the request target byte for byte (an encoded %2F stays encoded) and allow repeated headers.
/// </summary>
internal static class RawHttpClient
{
    public static async Task<ProbeResponse> SendAsync(int port, ProbeRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();

        var text = new StringBuilder($"{request.Method} {request.Target} HTTP/1.1\r\nHost: compat.test\r\n");
        foreach (var header in request.Headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), timeout.Token);

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, timeout.Token);
        return Parse(buffer.ToArray(), request.Method == "HEAD");
    }

    internal static ProbeResponse Parse(byte[] bytes, bool isHead)
    {
        var raw = Encoding.Latin1.GetString(bytes);
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"incomplete HTTP response: '{raw}'");
        }

        var lines = raw[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Select(parts => new KeyValuePair<string, string>(parts[0].Trim().ToLowerInvariant(), parts[1].Trim()))
            .ToList();
        var body = isHead ? "" : raw[(end + 4)..];
        if (headers.Any(header => header.Key == "transfer-encoding" && header.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        return new ProbeResponse(status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = int.Parse(chunked[position..lineEnd].Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                break;
            }

            body.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return body.ToString();
    }
}
