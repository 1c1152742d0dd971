using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Edge.Tests.Support;

/// <summary>Sends one hand-written HTTP/1.1 request, for header lines and targets HttpClient would rewrite.</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri address, string target, params string[] headerLines)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var request = new StringBuilder($"GET {target} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }

        request.Append("\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = bodyStart < 0 ? string.Empty : response[(bodyStart + 4)..];
        return (status, Dechunk(response, body));
    }

    private static string Dechunk(string response, string body)
    {
        var head = response[..Math.Max(0, response.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
        if (!head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var output = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd], 16);
            if (size == 0)
            {
                break;
            }

            output.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return output.ToString();
    }
}
