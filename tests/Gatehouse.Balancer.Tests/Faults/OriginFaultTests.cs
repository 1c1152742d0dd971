using System.Net;
using System.Net.Sockets;
using System.Text;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Faults;

/// <summary>
/// Origins that misbehave after accepting the connection: each case gets HAProxy's status and termination
/// state, and the balancer does not retry a request the origin may already have processed.
/// </summary>
public sealed class OriginFaultTests
{
    [Theory]
    [InlineData(OriginFault.CloseWithoutResponse, 502, "SH")]
    [InlineData(OriginFault.Garbage, 502, "PH")]
    [InlineData(OriginFault.ResetInHeaders, 502, "SH")]
    [InlineData(OriginFault.StallBeforeHeaders, 504, "sH")]
    public async Task OriginFault_BeforeHeaders_StatusAndTermination(OriginFault fault, int status, string termination)
    {
        await using var origin = FaultyOrigin.Start(fault);
        await using var balancer = await StartAsync(Config(origin.Address));

        using var response = await balancer.SendAsync(Get("/fault"));
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());

        Assert.True(status == (int)response.StatusCode, $"status {(int)response.StatusCode}; reason: {record.Reason}");
        Assert.Equal(termination, record.Termination);
        Assert.Equal("s1", record.Server);
    }

    [Theory]
    [InlineData(OriginFault.CloseWithoutResponse)]
    [InlineData(OriginFault.Garbage)]
    [InlineData(OriginFault.StallBeforeHeaders)]
    public async Task OriginFault_PostWithBody_SentOnce(OriginFault fault)
    {
        await using var origin = FaultyOrigin.Start(fault);
        await using var balancer = await StartAsync(Config(origin.Address));
        using var request = Get("/fault");
        request.Method = HttpMethod.Post;
        request.Content = new StringContent("order=1");

        using var response = await balancer.SendAsync(request);
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());

        // The origin may have acted on the request before it failed, so a request with a body is never resent.
        Assert.True(origin.Connections == 1, $"{origin.Connections} connections; reason: {record.Reason}");
        Assert.True((int)response.StatusCode >= 500, $"status {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData(OriginFault.StallMidBody, "sD")]
    public async Task OriginFault_MidBody_CutsResponse(OriginFault fault, string termination)
    {
        await using var origin = FaultyOrigin.Start(fault);
        await using var balancer = await StartAsync(Config(origin.Address));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(balancer.Client.BaseAddress!, "/fault"));
        using var response = await balancer.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var id = response.Headers.GetValues("X-Request-Id").Single();
        var read = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());
        var record = await balancer.Sink.WaitForAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(read);
        Assert.Equal(termination, record.Termination);
    }

    private static string Config(string origin) =>
        "frontend gateway\n    bind 127.0.0.1:0\n    default_backend be\n"
        + $"backend be\n    timeout connect 2s\n    timeout server 500ms\n    server s1 {origin}\n";
}

public enum OriginFault
{
    CloseWithoutResponse,
    Garbage,
    ResetInHeaders,
    StallBeforeHeaders,
    StallMidBody,
}

/// <summary>A TCP origin on 127.0.0.1 port 0 that reads a request head, then misbehaves in one way.</summary>
internal sealed class FaultyOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly OriginFault _fault;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    private FaultyOrigin(TcpListener listener, OriginFault fault)
    {
        _listener = listener;
        _fault = fault;
        _acceptLoop = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    public static FaultyOrigin Start(OriginFault fault)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new FaultyOrigin(listener, fault);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            await ReadHeadAsync(stream);
            switch (_fault)
            {
                case OriginFault.CloseWithoutResponse:
                    return;
                case OriginFault.Garbage:
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-not-http\r\n\r\n"), _stop.Token);
                    return;
                case OriginFault.ResetInHeaders:
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Le"), _stop.Token);
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                case OriginFault.StallBeforeHeaders:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                case OriginFault.StallMidBody:
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst ten."), _stop.Token);
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    private async Task ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
    }
}
