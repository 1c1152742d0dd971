using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gatehouse.DevStack.Origins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.DevStack.Tests.Origins;

public sealed class DemoOriginTests : IAsyncLifetime
{
    private DemoOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await DemoOrigin.StartAsync(
        "staff", "staff2", "127.0.0.1:0", NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    /// <summary>
    /// Sends <paramref name="requestHead"/> byte for byte over TCP, so no client library re-encodes the target.
    /// </summary>
    private async Task<(int Status, string Body)> SendRawAsync(string requestHead, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _origin.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requestHead));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return (status, response[bodyStart..]);
    }

    [Fact]
    public async Task Echo_EncodedSlash_PathAndQueryExactlyAsSent()
    {
        var (status, body) = await SendRawAsync(
            "GET /api/a%2fb/..%2F/c%20d?x=1&y=%2f&x=2 HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, status);
        var echo = JsonDocument.Parse(body).RootElement;
        Assert.Equal("/api/a%2fb/..%2F/c%20d", echo.GetProperty("path").GetString());
        Assert.Equal("x=1&y=%2f&x=2", echo.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Echo_NoQuery_QueryEmpty()
    {
        var (_, body) = await SendRawAsync("DELETE /items/7 HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n");

        var echo = JsonDocument.Parse(body).RootElement;
        Assert.Equal("/items/7", echo.GetProperty("path").GetString());
        Assert.Equal("", echo.GetProperty("query").GetString());
        Assert.Equal("DELETE", echo.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Echo_Request_ReportsPoolServerHeadersAndBody()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_origin.Address, "/submit"));
        request.Headers.Add("X-Gatehouse-Test", ["one", "two"]);
        request.Content = new ByteArrayContent(new byte[1000]);

        using var response = await http.SendAsync(request);
        var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("staff", echo.GetProperty("pool").GetString());
        Assert.Equal("staff2", echo.GetProperty("server").GetString());
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal(1000, echo.GetProperty("body_bytes").GetInt64());
        var values = echo.GetProperty("headers").GetProperty("X-Gatehouse-Test").EnumerateArray()
            .Select(value => value.GetString()!).ToArray();
        Assert.Equal(["one, two"], values);
        Assert.Equal(JsonValueKind.Array, echo.GetProperty("headers").GetProperty("Host").ValueKind);
    }

    [Fact]
    public async Task Echo_RepeatedHeaderLines_EachValueListed()
    {
        var (_, body) = await SendRawAsync(
            "GET / HTTP/1.1\r\nHost: demo\r\nX-Repeat: a\r\nX-Repeat: b\r\nConnection: close\r\n\r\n");

        var echo = JsonDocument.Parse(body).RootElement;
        var values = echo.GetProperty("headers").GetProperty("X-Repeat").EnumerateArray()
            .Select(value => value.GetString()!).ToArray();
        Assert.Equal(["a", "b"], values);
    }

    [Fact]
    public async Task Echo_BodyOverOneMebibyte_413()
    {
        var size = DemoOrigin.MaxRequestBodyBytes + 1;
        var head = $"POST /upload HTTP/1.1\r\nHost: demo\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n";

        var (status, _) = await SendRawAsync(head);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task RequestCount_ThreeRequests_CountsThree()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(new Uri(_origin.Address, $"/n/{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, _origin.RequestCount);
    }

    [Fact]
    public void Address_PortZero_IsBoundLoopbackPort()
    {
        Assert.Equal("127.0.0.1", _origin.Address.Host);
        Assert.NotEqual(0, _origin.Address.Port);
        Assert.Equal("staff", _origin.Pool);
        Assert.Equal("staff2", _origin.Server);
    }
}
