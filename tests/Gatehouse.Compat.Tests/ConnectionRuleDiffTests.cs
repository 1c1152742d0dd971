using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// `tcp-request connection|content` rules run side by side in HAProxy and Gatehouse. Each connection's result is
/// compared as "closed" (no byte before the close) or the status lines and serving servers it received.
/// </summary>
public sealed class ConnectionRuleDiffTests : IClassFixture<OriginServers>
{
    private readonly OriginServers _origins;

    public ConnectionRuleDiffTests(OriginServers origins)
    {
        _origins = origins;
    }

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "reject by source", "tcp-request connection reject if { src 127.0.0.0/8 }", [Close("a")] },
        { "accept before reject", "tcp-request connection accept if { src 127.0.0.1 }\ntcp-request connection reject", [Close("a")] },
        { "reject unless", "tcp-request connection reject unless { src 10.0.0.0/8 }", [Close("a")] },
        {
            "connection rate",
            "stick-table type ip size 1k expire 60s store conn_cnt\ntcp-request connection track-sc0 src\n"
                + "tcp-request connection reject if { sc_conn_cnt(0) gt 3 }",
            [Close("a"), Close("b"), Close("c"), Close("d")]
        },
        {
            "keep-alive requests counted",
            "stick-table type ip size 1k expire 60s store http_req_cnt\ntcp-request connection track-sc1 src\n"
                + "http-request deny deny_status 429 if { sc1_http_req_cnt gt 2 }",
            [KeepAlive("a") + KeepAlive("b") + Close("c")]
        },
        { "content reject by path", "tcp-request content reject if { path_beg /blocked }", [Close("blocked/x"), Close("open")] },
        {
            "content track",
            "stick-table type ip size 1k expire 60s store http_req_cnt\ntcp-request content track-sc2 src\n"
                + "http-request deny deny_status 429 if { sc2_http_req_cnt gt 2 }",
            [Close("a"), Close("b"), Close("c")]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TcpRequestRules_SameAsHaproxy(string name, string rules, string[] connections)
    {
        var config = $"""
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind "127.0.0.1:${"{"}FE_PORT{"}"}"
                {rules.Replace("\n", "\n    ", StringComparison.Ordinal)}
                default_backend be
            backend be
                server s1 "${"{"}S1{"}"}"

            """;

        List<string> expected;
        await using (var haproxy = await HaproxyProcess.StartAsync(config, _origins.Variables))
        {
            expected = await SendAllAsync(haproxy.Port, connections);
        }

        var variables = new Dictionary<string, string>(_origins.Variables) { ["FE_PORT"] = "0" };
        await using var gatehouse = await BalancerHost.StartAsync(BalancerConfigLoader.Parse(config, "haproxy.cfg", variables), new BalancerHostOptions(), CancellationToken.None);
        var port = gatehouse.BoundAddresses["fe"][0].Port;
        var actual = await SendAllAsync(port, connections);

        Assert.True(expected.SequenceEqual(actual), $"{name}:\nHAProxy:   {string.Join(" / ", expected)}\nGatehouse: {string.Join(" / ", actual)}");
    }

    private static string KeepAlive(string path) => $"GET /{path} HTTP/1.1\r\nHost: compat.test\r\n\r\n";

    private static string Close(string path) =>
        $"GET /{path} HTTP/1.1\r\nHost: compat.test\r\nConnection: close\r\n\r\n";

    private static async Task<List<string>> SendAllAsync(int port, string[] connections)
    {
        var results = new List<string>();
        foreach (var text in connections)
        {
            results.Add(Summarize(await ExchangeAsync(port, text)));
        }

        return results;
    }

    /// <summary>Keeps each response's status line and X-Served-By, or "closed" when nothing came back.</summary>
    private static string Summarize(string reply)
    {
        if (reply.Length == 0)
        {
            return "closed";
        }

        var lines = reply.ToLowerInvariant().Replace("http/1.1 ", "\r\nhttp/1.1 ", StringComparison.Ordinal).Split("\r\n");
        return string.Join(",", lines.Where(line => line.StartsWith("http/1.1 ", StringComparison.Ordinal)
            || line.StartsWith("x-served-by:", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Sends the requests of <paramref name="text"/> one at a time on one connection, each after the previous
    /// response has arrived, and returns everything received. A connection closed with a reset, even before the
    /// connect completed, counts as closed without a reply.
    /// </summary>
    private static async Task<string> ExchangeAsync(int port, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // 127.0.0.2 keeps these connections apart, in the tables keyed by src, from the start-up probes from 127.0.0.1.
        using var client = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var reply = new StringBuilder();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            foreach (var request in text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(request + "\r\n\r\n"), timeout.Token);
                if (!await ReadResponseAsync(stream, reply, timeout.Token))
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException || exception.InnerException is SocketException)
        {
            // Nothing more arrives after a reset.
        }

        return reply.ToString();
    }

    /// <summary>Reads one response with a Content-Length or chunked body; returns false when the connection closed first.</summary>
    private static async Task<bool> ReadResponseAsync(NetworkStream stream, StringBuilder reply, CancellationToken ct)
    {
        var start = reply.Length;
        var buffer = new byte[1];
        while (true)
        {
            var text = reply.ToString(start, reply.Length - start);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = text[..end].ToLowerInvariant();
                if (head.Contains("transfer-encoding: chunked", StringComparison.Ordinal))
                {
                    if (text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                else if (text.Length >= end + 4 + ContentLength(head))
                {
                    return true;
                }
            }

            if (await stream.ReadAsync(buffer, ct) == 0)
            {
                return false;
            }

            reply.Append((char)buffer[0]);
        }
    }

    private static int ContentLength(string head) =>
        head.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == "content-length")
            .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
