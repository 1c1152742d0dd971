using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>Sends raw bytes on a new loopback connection and reads everything the balancer sends back before it closes.</summary>
internal static class RawConnection
{
    /// <summary>Sends one HTTP/1.1 GET with `Connection: close`; returns the raw reply, empty when the balancer closed without a byte.</summary>
    public static Task<string> GetAsync(int port, string path) =>
        ExchangeAsync(port, $"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

    public static async Task<string> ExchangeAsync(int port, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        using var reply = new MemoryStream();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            if (text.Length == 0)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
            else
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
            }

            await stream.CopyToAsync(reply, timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException || exception.InnerException is SocketException)
        {
            // A connection reset, even one reported by the connect, carries no reply either.
        }

        return Encoding.ASCII.GetString(reply.ToArray());
    }
}
