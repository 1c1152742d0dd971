using System.Net.Sockets;
using System.Text;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// Size, time and connection limits at both tiers, sent as exact bytes over raw sockets to a stack whose
/// example files are changed only in the limits: edge.toml's [limits] lowered, with 1 s request-head and
/// keep-alive timeouts and at most 10 connections, and haproxy.cfg with 1 s request-head and keep-alive
/// timeouts and at most 10 connections per client address.
/// </summary>
public sealed class LimitTests : IClassFixture<LimitTests.LimitStackFixture>
{
    private const int EdgeMaxHeaders = 20;
    private const int EdgeMaxHeaderBytes = 4096;
    private const int EdgeMaxBodyBytes = 4096;
    private const int BalancerMaxConnectionsPerClient = 10;
    private const int EdgeMaxConnections = 10;
    private const string JwksPath = "/.well-known/gatehouse/jwks.json";

    // Kestrel's defaults (ASP.NET Core 10), which neither tier's configuration changes.
    private const int KestrelMaxRequestLine = 8 * 1024;
    private const int KestrelMaxHeaders = 100;
    private const int KestrelMaxHeaderBytes = 32 * 1024;

    private readonly LimitStackFixture _stack;

    public LimitTests(LimitStackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task BothTiers_RequestLineTooLong_Returns414()
    {
        foreach (var tier in new[] { _stack.Edge, _stack.Balancer })
        {
            var target = "/api/public/" + new string('a', KestrelMaxRequestLine);

            var (status, closed) = await ExchangeAsync(tier, $"GET {target} HTTP/1.1\r\nHost: {tier.Authority}\r\n\r\n");

            Assert.True(status == 414, $"{tier}: status {status}");
            Assert.True(closed, $"{tier}: the connection stayed open");
        }
    }

    [Theory]
    [InlineData("edge", EdgeMaxHeaders)]
    [InlineData("balancer", KestrelMaxHeaders)]
    public async Task Tier_TooManyHeaders_Returns431(string tierName, int maxHeaders)
    {
        var tier = _stack.Tier(tierName);
        var before = _stack.OriginRequests;
        // Host is one header, so maxHeaders more lines go one over the limit.
        var headers = string.Concat(Enumerable.Range(0, maxHeaders).Select(i => $"X-Filler-{i}: v\r\n"));

        var (status, closed) = await ExchangeAsync(tier, $"GET /api/public/x HTTP/1.1\r\nHost: {tier.Authority}\r\n{headers}\r\n");

        Assert.Equal(431, status);
        Assert.True(closed, "the connection stayed open");
        Assert.Equal(before, _stack.OriginRequests);
    }

    [Theory]
    [InlineData("edge", EdgeMaxHeaderBytes)]
    [InlineData("balancer", KestrelMaxHeaderBytes)]
    public async Task Tier_HeadersTooLarge_Returns431(string tierName, int maxBytes)
    {
        var tier = _stack.Tier(tierName);
        var before = _stack.OriginRequests;
        var value = new string('v', maxBytes);

        var (status, closed) = await ExchangeAsync(tier, $"GET /api/public/x HTTP/1.1\r\nHost: {tier.Authority}\r\nX-Large: {value}\r\n\r\n");

        Assert.Equal(431, status);
        Assert.True(closed, "the connection stayed open");
        Assert.Equal(before, _stack.OriginRequests);
    }

    [Fact]
    public async Task Edge_BodyOverLimit_Returns413()
    {
        var body = new string('b', EdgeMaxBodyBytes + 1);
        var before = _stack.OriginRequests;

        var (status, closed) = await ExchangeAsync(_stack.Edge,
            $"POST /api/public/upload HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nContent-Length: {body.Length}\r\n\r\n{body}");

        Assert.Equal(413, status);
        Assert.True(closed, "the connection stayed open");
        Assert.Equal(before, _stack.OriginRequests);
    }

    [Theory]
    [InlineData("edge")]
    [InlineData("balancer")]
    public async Task Tier_TrickledHead_ClosedAtRequestTimeout(string tierName)
    {
        var tier = _stack.Tier(tierName);
        using var client = new TcpClient();
        await client.ConnectAsync(tier.Host, tier.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/public/x HTTP/1.1\r\nHost: {tier.Authority}\r\n"));

        // One header byte every 100 ms never finishes the head. 200 steps are 20 s, far past the 1 s timeout.
        var filler = Encoding.ASCII.GetBytes("X-Slow: " + new string('s', 400));
        var closed = false;
        for (var i = 0; i < 200 && !closed; i++)
        {
            closed = !await TryWriteAsync(stream, filler.AsMemory(i % filler.Length, 1)) || await ClosedWithinAsync(stream, TimeSpan.FromMilliseconds(100));
        }

        Assert.True(closed, $"the {tierName} kept reading a head trickled for 20 s");
    }

    [Fact]
    public async Task Edge_IdleKeepAlive_ClosedAfterTimeout()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_stack.Edge.Host, _stack.Edge.Port);
        var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {JwksPath} HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\n\r\n");

        await stream.WriteAsync(request);
        var first = await ReadResponseHeadAsync(stream);
        await stream.WriteAsync(request);
        var second = await ReadResponseHeadAsync(stream);

        // The second answer on one connection shows keep-alive; then the idle connection must close.
        Assert.StartsWith("HTTP/1.1 200", first, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", second, StringComparison.Ordinal);
        Assert.True(await ClosedWithinAsync(stream, TimeSpan.FromSeconds(20)), "the idle connection stayed open for 20 s");
    }

    [Fact]
    public async Task Edge_ConnectionsOverLimit_Rejected()
    {
        // All connections open before any request, so connections that the 1 s keep-alive timeout closes can
        // only turn answers into rejections. Connections of earlier tests may still count until Kestrel sees
        // them close, so only bounds are asserted.
        var clients = Enumerable.Range(0, EdgeMaxConnections * 2).Select(_ => new TcpClient()).ToList();
        var answered = 0;
        try
        {
            var connected = new List<TcpClient>();
            foreach (var client in clients)
            {
                if (await TryConnectAsync(client, _stack.Edge))
                {
                    connected.Add(client);
                }
            }

            foreach (var client in connected)
            {
                answered += await TrySendGetAsync(client, _stack.Edge, JwksPath) ? 1 : 0;
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }

        var rejected = clients.Count - answered;
        Assert.InRange(answered, 1, EdgeMaxConnections);
        Assert.True(rejected >= EdgeMaxConnections, $"{rejected} connections rejected");
    }

    [Fact]
    public async Task Balancer_ConnectionsPerClient_OverLimitRejected()
    {
        // The edge's own pooled connections to the balancer also count, so only bounds are asserted.
        var clients = new List<TcpClient>();
        var answered = 0;
        var rejected = 0;
        try
        {
            for (var i = 0; i < BalancerMaxConnectionsPerClient * 2; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                if (await TryExchangeOnNewConnectionAsync(client, _stack.Balancer, "/api/public/x"))
                {
                    answered++;
                }
                else
                {
                    rejected++;
                }
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }

        Assert.InRange(answered, 1, BalancerMaxConnectionsPerClient);
        Assert.True(rejected >= BalancerMaxConnectionsPerClient, $"{rejected} connections rejected");
    }

    // Sends the bytes; returns the first response's status and whether the server closed within 15 s.
    private static async Task<(int Status, bool Closed)> ExchangeAsync(Uri server, string bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        // The server may answer and close before it has read everything, so a failed write is not an error.
        await TryWriteAsync(stream, Encoding.Latin1.GetBytes(bytes));
        var received = new MemoryStream();
        var closed = await ReadUntilClosedAsync(stream, received, TimeSpan.FromSeconds(15));
        return (ParseStatus(received.ToArray()), closed);
    }

    // Connects and sends one GET, leaving the connection open; returns false when the server rejected it.
    private static async Task<bool> TryExchangeOnNewConnectionAsync(TcpClient client, Uri server, string path) =>
        await TryConnectAsync(client, server) && await TrySendGetAsync(client, server, path);

    // Sends one GET on a connected client; returns true when a response head came back.
    private static async Task<bool> TrySendGetAsync(TcpClient client, Uri server, string path)
    {
        var stream = client.GetStream();
        var sent = await TryWriteAsync(stream, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\n\r\n"));
        var head = sent ? await ReadResponseHeadAsync(stream) : "";
        return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal);
    }

    // A connection rejected at accept may already be reset when the connect completes.
    private static async Task<bool> TryConnectAsync(TcpClient client, Uri server)
    {
        try
        {
            await client.ConnectAsync(server.Host, server.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> TryWriteAsync(NetworkStream stream, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await stream.WriteAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> ClosedWithinAsync(NetworkStream stream, TimeSpan wait) =>
        await ReadUntilClosedAsync(stream, new MemoryStream(), wait);

    // Reads until the server closes (true) or the wait ends (false); a reset counts as closed.
    private static async Task<bool> ReadUntilClosedAsync(NetworkStream stream, MemoryStream received, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    // Reads one response head and its Content-Length body; returns the head, or "" when the server closed first.
    private static async Task<string> ReadResponseHeadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new List<byte>();
        var one = new byte[1];
        try
        {
            while (!EndsWithBlankLine(received))
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0)
                {
                    return "";
                }

                received.Add(one[0]);
            }

            var head = Encoding.Latin1.GetString(received.ToArray());
            if (head.Contains("\r\nTransfer-Encoding: chunked\r\n", StringComparison.OrdinalIgnoreCase))
            {
                await SkipChunkedBodyAsync(stream, timeout.Token);
                return head;
            }

            var body = new byte[ContentLength(head)];
            await stream.ReadExactlyAsync(body, timeout.Token);
            return head;
        }
        catch (IOException)
        {
            return "";
        }
    }

    // Reads to the last chunk; the edge's JWKS body is JSON, which never contains the CRLF 0 CRLF CRLF ending.
    private static async Task SkipChunkedBodyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var tail = new List<byte>();
        var one = new byte[1];
        while (!Encoding.ASCII.GetString(tail.ToArray()).EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return;
            }

            tail.Add(one[0]);
            if (tail.Count > 16)
            {
                tail.RemoveAt(0);
            }
        }
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static int ParseStatus(byte[] received)
    {
        var text = Encoding.Latin1.GetString(received);
        return text.Length >= 12 && text.StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>The example stack with only its limits changed, in a folder of its own.</summary>
    public sealed class LimitStackFixture : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "gatehouse-limits-" + Guid.NewGuid().ToString("N"));

        private Gatehouse.Cli.Stack.DemoStack _stack = null!;

        public Uri Edge => _stack.Edge.Address;

        public Uri Balancer => _stack.BalancerAddress;

        public Uri Stats => _stack.StatsAddress ?? throw new InvalidOperationException("the example haproxy.cfg has no stats frontend");

        public long OriginRequests => _stack.Origins.Sum(origin => origin.RequestCount);

        public Uri Tier(string name) => name == "edge" ? Edge : Balancer;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Path.Combine(_folder, "static"));
            File.WriteAllText(Path.Combine(_folder, "edge.toml"), EdgeToml());
            File.WriteAllText(Path.Combine(_folder, "haproxy.cfg"), HaproxyCfg());
            RepositoryPaths.LinkGuests(_folder);
            _stack = await StackFixture.StartStackAsync(_folder, Path.Combine(_folder, "run"));
        }

        public async Task DisposeAsync()
        {
            await _stack.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }

        private static string EdgeToml() => Replace(
            File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "edge.toml")),
            ("max_request_headers = 100", $"max_request_headers = {EdgeMaxHeaders}"),
            ("max_request_headers_bytes = 32768", $"max_request_headers_bytes = {EdgeMaxHeaderBytes}"),
            ("max_request_body_bytes = 10485760",
             $"max_request_body_bytes = {EdgeMaxBodyBytes}\nrequest_head_timeout = \"1s\"\nkeep_alive_timeout = \"1s\"\n"
             + $"max_connections = {EdgeMaxConnections}"));

        private static string HaproxyCfg() => Replace(
            File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "haproxy.cfg")),
            ("    timeout client 30s\n", "    timeout client 30s\n    timeout http-request 1s\n    timeout http-keep-alive 1s\n"),
            ("store gpt0,http_req_rate(10s),http_err_rate(10s)\n",
             "store gpt0,conn_cur,http_req_rate(10s),http_err_rate(10s)\n"
             + "    tcp-request connection track-sc1 src\n"
             + $"    tcp-request connection reject if {{ sc_conn_cur(1) gt {BalancerMaxConnectionsPerClient} }}\n"));

        // Fails loudly when the example files change, so the test never runs against the unchanged limits.
        private static string Replace(string text, params (string Old, string New)[] edits)
        {
            foreach (var (old, replacement) in edits)
            {
                if (!text.Contains(old, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"example configuration no longer contains '{old.Trim()}'");
                }

                text = text.Replace(old, replacement, StringComparison.Ordinal);
            }

            return text;
        }
    }
}
