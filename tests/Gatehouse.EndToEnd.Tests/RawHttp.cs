using System.Net.Sockets;
using System.Text;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>Sends exact request bytes, for targets HttpClient would normalize (dot segments, odd encodings).</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Response)> SendAsync(Uri server, string requestHead)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        // Latin-1 maps each char below 256 to one byte, so tests can send bytes such as 0xFF.
        await stream.WriteAsync(Encoding.Latin1.GetBytes(requestHead));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    public static string Get(Uri server, string target) =>
        $"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n";
}
