using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class TcpModeTests
{
    private static string Config(string balance, params TcpEchoServer[] servers) =>
        "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 5s\n    timeout server 5s\n"
        + "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\n"
        + $"backend be\n    balance {balance}\n"
        + string.Concat(servers.Select((server, i) => $"    server s{i + 1} {server.Address}\n"));

    private static async Task<BalancerHost> StartAsync(string cfg) =>
        await BalancerHost.StartAsync(BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>()), new BalancerHostOptions(), CancellationToken.None);

    private static async Task<string> ExchangeAsync(BalancerHost host, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.BoundAddresses["fe"][0].Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reply = new MemoryStream();
        await stream.CopyToAsync(reply, timeout.Token);
        return Encoding.ASCII.GetString(reply.ToArray());
    }

    [Fact]
    public async Task Connection_EchoedThroughServer()
    {
        await using var echo = TcpEchoServer.Start("e1");
        await using var host = await StartAsync(Config("roundrobin", echo));

        var reply = await ExchangeAsync(host, "hello over tcp");

        Assert.Equal("e1:hello over tcp", reply);
    }

    [Fact]
    public async Task RoundRobin_AlternatesServers()
    {
        await using var one = TcpEchoServer.Start("e1");
        await using var two = TcpEchoServer.Start("e2");
        await using var host = await StartAsync(Config("roundrobin", one, two));

        var replies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await ExchangeAsync(host, "x"));
        }

        Assert.Equal(["e1:x", "e2:x", "e1:x", "e2:x"], replies);
    }

    [Fact]
    public async Task RefusedServer_RetriedOnNextWithRedispatch()
    {
        await using var live = TcpEchoServer.Start("live");
        var refused = BalancerTestHost.RefusedPort();
        var cfg = Config("first", live).Replace("    server s1", $"    option redispatch\n    retries 2\n    server s0 127.0.0.1:{refused}\n    server s1", StringComparison.Ordinal);
        await using var host = await StartAsync(cfg);

        var reply = await ExchangeAsync(host, "ping");

        Assert.Equal("live:ping", reply);
    }

    [Fact]
    public void TcpFrontend_HttpBackend_Rejected()
    {
        var cfg = "frontend fe\n    mode tcp\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>())).Errors;

        Assert.Contains("t.cfg:4: frontend 'fe' is in 'mode tcp' but backend 'be' is in 'mode http'; both must use the same mode", errors);
    }
}

/// <summary>A TCP server on 127.0.0.1 port 0 that reads until the client half-closes, then replies "NAME:" and the bytes.</summary>
internal sealed class TcpEchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private TcpEchoServer(TcpListener listener, string name)
    {
        _listener = listener;
        _loop = AcceptAsync(name);
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static TcpEchoServer Start(string name)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new TcpEchoServer(listener, name);
    }

    private async Task AcceptAsync(string name)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = EchoAsync(client, name);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }

    private async Task EchoAsync(TcpClient client, string name)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var received = new MemoryStream();
            await stream.CopyToAsync(received, _stop.Token);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(name + ":"), _stop.Token);
            await stream.WriteAsync(received.ToArray(), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
