using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Balancer.Tests.RuntimeApi;

/// <summary>Sends one line to a runtime API unix socket and reads until the server closes the connection.</summary>
internal static class RuntimeApiClient
{
    public static async Task<string> SendAsync(string path, string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = new StringBuilder();
        var buffer = new byte[65536];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            output.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return output.ToString();
    }

    /// <summary>Reads from an open connection until the output ends with the interactive prompt.</summary>
    public static async Task<string> ReadPromptAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = new StringBuilder();
        var buffer = new byte[65536];
        while (!output.ToString().EndsWith("> ", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            output.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return output.ToString();
    }
}
