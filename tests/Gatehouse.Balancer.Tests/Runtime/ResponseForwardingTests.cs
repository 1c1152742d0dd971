using System.Net;
using System.Text;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class ResponseForwardingTests
{
    private const string ChunkedHello = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

    private static string Config(string servers, string backendLines = "") => $"""
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            {backendLines}
            {servers}
        """;

    private static Uri Address(BalancerTestHost balancer) => balancer.Host.BoundAddresses["fe"][0];

    [Fact]
    public async Task Head_ChunkedWithoutBody_ConnectionStaysUsable()
    {
        await using var origin = RawOrigin.Start(head => Encoding.Latin1.GetBytes(head.StartsWith("HEAD", StringComparison.Ordinal)
            ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            : ChunkedHello));
        await using var balancer = await StartAsync(Config($"server s1 {origin.Address}"));
        using var client = await RawClient.ConnectAsync(Address(balancer));

        await client.SendAsync("HEAD /a HTTP/1.1\r\nHost: test\r\n\r\n");
        await client.ReadUntilAsync("\r\n\r\n");
        await client.SendAsync("GET /b HTTP/1.1\r\nHost: test\r\n\r\n");
        await client.ReadUntilAsync("hello");

        var text = client.ReceivedText;
        var firstEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        Assert.True(firstEnd > 0, $"no response head in: {text}");
        Assert.StartsWith("HTTP/1.1 200", text[(firstEnd + 4)..], StringComparison.Ordinal);
        Assert.Contains("hello", text[(firstEnd + 4)..], StringComparison.Ordinal);
        Assert.Equal(2, origin.Requests);
    }

    [Fact]
    public async Task DuplicateChunkedHeader_BodyDeliveredOnce()
    {
        await using var origin = RawOrigin.Start(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        await using var balancer = await StartAsync(Config($"server s1 {origin.Address}"));

        using var response = await balancer.SendAsync(Get("/twice"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task Utf8HeaderBytes_PassUnchanged()
    {
        var cookie = "Set-Cookie: name=caf\u00c3\u00a9\r\n";
        await using var origin = RawOrigin.Start($"HTTP/1.1 200 OK\r\n{cookie}Content-Length: 2\r\n\r\nok");
        await using var balancer = await StartAsync(Config($"server s1 {origin.Address}"));
        using var client = await RawClient.ConnectAsync(Address(balancer));

        await client.SendAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        await client.ReadUntilAsync("\r\n\r\nok");

        var expected = new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xC3, 0xA9, (byte)'\r', (byte)'\n' };
        Assert.StartsWith("HTTP/1.1 200", client.ReceivedText, StringComparison.Ordinal);
        Assert.True(client.Received.AsSpan().IndexOf(expected) >= 0, $"UTF-8 bytes missing in: {client.ReceivedText}");
    }

    [Fact]
    public async Task BareLineFeedInHeader_Returns502()
    {
        await using var origin = RawOrigin.Start("HTTP/1.1 200 OK\r\nX-Bad: a\nb\r\nContent-Length: 2\r\n\r\nok");
        await using var balancer = await StartAsync(Config($"server s1 {origin.Address}", "retries 0"));

        using var response = await balancer.SendAsync(Get("/bad"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Bad"));
    }

    /// <summary>
    /// .NET's HTTP client replaces a bare CR or a NUL inside a header value with a space before the balancer sees
    /// the header, so neither byte can reach the client; the value is forwarded with the space.
    /// </summary>
    [Theory]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public async Task CarriageReturnOrNulInHeader_NeverForwarded(string value)
    {
        await using var origin = RawOrigin.Start($"HTTP/1.1 200 OK\r\nX-Bad: {value}\r\nContent-Length: 2\r\n\r\nok");
        await using var balancer = await StartAsync(Config($"server s1 {origin.Address}", "retries 0"));
        using var client = await RawClient.ConnectAsync(Address(balancer));

        await client.SendAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        await client.ReadUntilAsync("\r\n\r\nok");

        var text = client.ReceivedText;
        Assert.Contains("X-Bad: a b\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(value, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostWithBody_RefusedServer_NotRetried()
    {
        await using var origin = await StatusOrigin.StartAsync("up", 200);
        var servers = $"server down 127.0.0.1:{RefusedPort()}\n    server up {origin.Address}";
        await using var balancer = await StartAsync(Config(servers, "balance first\n    retries 3\n    option redispatch"));

        using var post = await balancer.Client.PostAsync("/form", new StringContent("field=1"));

        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Equal(0, origin.Requests);
    }

    [Fact]
    public async Task GetWithoutBody_RefusedServer_Retried()
    {
        await using var origin = await StatusOrigin.StartAsync("up", 200);
        var servers = $"server down 127.0.0.1:{RefusedPort()}\n    server up {origin.Address}";
        await using var balancer = await StartAsync(Config(servers, "balance first\n    retries 3\n    option redispatch"));

        using var get = await balancer.SendAsync(Get("/page"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(1, origin.Requests);
    }
}
