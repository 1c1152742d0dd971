using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>
/// A TCP origin on 127.0.0.1 port 0 that sends fixed response bytes, so a test controls the exact framing and
/// header bytes the balancer receives. It reads request heads only, so requests must have no body, and it keeps
/// each connection open for further requests.
/// </summary>
internal sealed class RawOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, byte[]> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _requests;

    private RawOrigin(TcpListener listener, Func<string, byte[]> respond)
    {
        _listener = listener;
        _respond = respond;
        _acceptLoop = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Requests => Volatile.Read(ref _requests);

    /// <param name="respond">Maps the request head, as Latin-1 text, to the response bytes.</param>
    public static RawOrigin Start(Func<string, byte[]> respond)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RawOrigin(listener, respond);
    }

    public static RawOrigin Start(string response) => Start(_ => Encoding.Latin1.GetBytes(response));

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new StringBuilder();
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                buffer.Append(Encoding.Latin1.GetString(chunk, 0, read));
                int end;
                while ((end = buffer.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    var head = buffer.ToString(0, end);
                    buffer.Remove(0, end + 4);
                    Interlocked.Increment(ref _requests);
                    await stream.WriteAsync(_respond(head), _stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}

/// <summary>A raw TCP client for the balancer, for tests that check exact response bytes on one keep-alive connection.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _received = [];

    private RawClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawClient> ConnectAsync(Uri address)
    {
        var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        return new RawClient(client);
    }

    /// <summary>Every byte received so far.</summary>
    public byte[] Received => [.. _received];

    public string ReceivedText => Encoding.Latin1.GetString(Received);

    public Task SendAsync(string request) => _stream.WriteAsync(Encoding.Latin1.GetBytes(request)).AsTask();

    /// <summary>Reads until the received text contains <paramref name="expected"/> or 10 seconds pass.</summary>
    public async Task ReadUntilAsync(string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var chunk = new byte[4096];
        while (!ReceivedText.Contains(expected, StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(chunk, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            _received.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    public void Dispose() => _client.Dispose();
}
