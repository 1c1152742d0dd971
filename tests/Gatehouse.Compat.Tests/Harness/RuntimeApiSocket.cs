using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>
/// Sends one line to a runtime API unix socket and reads the response. Every read has a deadline, because a
/// server left in interactive mode keeps the connection open and a read until end of stream would never return.
/// </summary>
internal static class RuntimeApiSocket
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static async Task<string> SendAsync(string path, string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None, timeout.Token);
        socket.Shutdown(SocketShutdown.Send);
        var output = new StringBuilder();
        var buffer = new byte[65536];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                output.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            output.Append("<no end of response within ").Append(Deadline.TotalSeconds).Append(" s>");
        }

        return output.ToString();
    }
}
