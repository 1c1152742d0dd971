using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>
/// A unix socket that answers every runtime API command with one fixed reply, or, when silent, accepts and
/// reads the command but never replies. Counts connections.
/// </summary>
internal sealed class FakeRuntimeApi : IDisposable
{
    private readonly Socket _listener;
    private readonly byte[]? _reply;
    private readonly List<Socket> _silentConnections = [];
    private int _connections;

    private FakeRuntimeApi(string? reply)
    {
        SocketPath = Path.Combine(Path.GetTempPath(), "gh-api-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        _reply = reply is null ? null : Encoding.ASCII.GetBytes(reply);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _ = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public int Connections => Volatile.Read(ref _connections);

    public static FakeRuntimeApi Start(string reply) => new(reply);

    /// <summary>Starts a socket that accepts every connection and never replies, like a hung HAProxy.</summary>
    public static FakeRuntimeApi StartSilent() => new(null);

    public void Dispose()
    {
        _listener.Dispose();
        lock (_silentConnections)
        {
            _silentConnections.ForEach(connection => connection.Dispose());
        }

        File.Delete(SocketPath);
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptAsync();
                Interlocked.Increment(ref _connections);
                if (_reply is null)
                {
                    lock (_silentConnections)
                    {
                        _silentConnections.Add(connection);
                    }

                    continue;
                }

                await ReplyAsync(connection, _reply);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The test disposed the listener.
        }
    }

    private static async Task ReplyAsync(Socket connection, byte[] reply)
    {
        using (connection)
        {
            var buffer = new byte[1024];
            await connection.ReceiveAsync(buffer, SocketFlags.None);
            await connection.SendAsync(reply, SocketFlags.None);
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
