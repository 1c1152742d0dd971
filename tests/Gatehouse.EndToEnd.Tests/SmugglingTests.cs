using System.Net.Sockets;
using System.Text;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// Request-smuggling bytes sent to each tier: every case gets 400, the tier closes the connection itself,
/// and no origin receives anything.
/// </summary>
public sealed class SmugglingTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public SmugglingTests(StackFixture stack)
    {
        _stack = stack;
    }

    // Each case is the part of the head after the request line and Host, then the body bytes.
    // No case carries "Connection: close": the tier must close the connection on its own.
    public static TheoryData<string, string> Cases() => new()
    {
        { "length and chunked", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n" },
        { "chunked and length", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
        { "two lengths", "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" },
        { "two lengths in one line", "Content-Length: 5, 6\r\n\r\nhello!" },
        { "xchunked", "Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "chunked then identity", "Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "identity", "Transfer-Encoding: identity\r\n\r\nhello" },
        { "uppercase chunked", "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "chunked twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "tab inside value", "Transfer-Encoding: chunked\t,\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "space before colon", "Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "overflowing chunk size", "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF1\r\nhello\r\n0\r\n\r\n" },
        { "negative chunk size", "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n" },
        { "bare LF in chunk extension", "Transfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n" },
        { "bare LF ends chunk size", "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n" },
        { "bare LF ends a header", "X-Note: a\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "NUL in a header", "X-Note: a\0b\r\nContent-Length: 5\r\n\r\nhello" },
        { "CR inside a header", "X-Note: a\rb\r\nContent-Length: 5\r\n\r\nhello" },
        { "obsolete line folding", "X-Note: a\r\n b\r\nContent-Length: 5\r\n\r\nhello" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Edge_SmugglingBytes_Returns400AndCloses(string name, string rest) => AssertRejectedAsync(_stack.Edge, name, rest);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Balancer_SmugglingBytes_Returns400AndCloses(string name, string rest) => AssertRejectedAsync(_stack.Balancer, name, rest);

    [Theory]
    [InlineData("GET /api/public/\0x HTTP/1.1")]
    [InlineData("GET /api/public/ x HTTP/1.1")]
    [InlineData("GET /api/public/x HTTP/1.1\n")]
    public async Task BothTiers_BadRequestLine_Returns400(string requestLine)
    {
        foreach (var tier in new[] { _stack.Edge, _stack.Balancer })
        {
            var before = _stack.Stack.Origins.Sum(origin => origin.RequestCount);
            var bytes = requestLine.EndsWith('\n') ? requestLine : requestLine + "\r\n";

            var (status, closed) = await SendAsync(tier, $"{bytes}Host: {tier.Authority}\r\n\r\n");

            Assert.Equal(400, status);
            Assert.True(closed, $"{tier} kept the connection open");
            Assert.Equal(before, _stack.Stack.Origins.Sum(origin => origin.RequestCount));
        }
    }

    [Fact]
    public async Task Edge_ChunkedWithLeadingTab_ReframedForOrigin()
    {
        // A tab before the value is legal whitespace (RFC 9110, 5.6.3), so this is plain chunked. The edge
        // decodes the body and frames it again, so the origin never parses the client's framing.
        var head = $"POST /api/public/upload HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nTransfer-Encoding:\tchunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

        var (status, response) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(200, status);
        Assert.Contains("\"body_bytes\":5", response.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task AssertRejectedAsync(Uri tier, string name, string rest)
    {
        var before = _stack.Stack.Origins.Sum(origin => origin.RequestCount);

        var (status, closed) = await SendAsync(tier, $"POST /api/public/upload HTTP/1.1\r\nHost: {tier.Authority}\r\n{rest}");

        Assert.True(status == 400, $"{name}: status {status}");
        Assert.True(closed, $"{name}: the connection stayed open");
        Assert.Equal(before, _stack.Stack.Origins.Sum(origin => origin.RequestCount));
    }

    // Returns the first response's status and whether the server closed the connection within 10 seconds.
    private static async Task<(int Status, bool Closed)> SendAsync(Uri server, string bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(bytes));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return (ParseStatus(received), false);
        }
        catch (IOException)
        {
            // A reset after the response still closes the connection.
        }

        return (ParseStatus(received), true);
    }

    private static int ParseStatus(MemoryStream received)
    {
        var text = Encoding.Latin1.GetString(received.ToArray());
        return text.Length >= 12 && text.StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }
}
