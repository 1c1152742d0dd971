using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Compat.Tests.Harness;

internal static class LoopbackPorts
{
    /// <summary>
    /// Returns a loopback port that was free a moment ago. HAProxy cannot report the port it chose for port 0,
    /// so the caller binds this port right away. Another process may take the port in between, but that race is
    /// small. When it happens, HAProxy exits on the bind error and the start fails with a message naming the port.
    /// </summary>
    public static int Reserve()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls until <paramref name="port"/> accepts a TCP connection or the deadline passes.</summary>
    public static async Task<bool> WaitUntilAcceptingAsync(int port, TimeSpan timeout, Func<bool> stillRunning)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && stillRunning())
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        return false;
    }
}
