using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>A unix socket that answers every runtime API command with one fixed reply and counts connections.</summary>
internal sealed class FakeRuntimeApi : IDisposable
{
    private readonly Socket _listener;
    private readonly byte[] _reply;
    private int _connections;

    private FakeRuntimeApi(string reply)
    {
        SocketPath = Path.Combine(Path.GetTempPath(), "gh-api-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        _reply = Encoding.ASCII.GetBytes(reply);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _ = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public int Connections => Volatile.Read(ref _connections);

    public static FakeRuntimeApi Start(string reply) => new(reply);

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                using var connection = await _listener.AcceptAsync();
                Interlocked.Increment(ref _connections);
                var buffer = new byte[1024];
                await connection.ReceiveAsync(buffer, SocketFlags.None);
                await connection.SendAsync(_reply, SocketFlags.None);
                connection.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The test disposed the listener.
        }
    }
}
