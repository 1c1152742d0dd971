using System.IO.Compression;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class CompressionTests
{
    private static string Config(EchoOrigin origin, string lines) => $$"""
        frontend fe
            bind 127.0.0.1:0
            {{lines}}
            default_backend be
        backend be
            server s1 {{origin.Address}}
        """;

    private static HttpRequestMessage Request(string acceptEncoding)
    {
        var request = Get("/json");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return request;
    }

    [Fact]
    public async Task Gzip_Accepted_BodyCompressed()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "compression algo gzip\n    compression type application/json"));
        using var request = Request("gzip");

        using var response = await balancer.SendAsync(request);
        await using var body = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync();

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Contains("\"origin\":\"o\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offload_RemovesAcceptEncodingForServer()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "compression algo deflate\n    compression offload"));
        using var request = Request("deflate");

        using var response = await balancer.SendAsync(request);
        await using var body = new ZLibStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(body);
        var reply = System.Text.Json.JsonSerializer.Deserialize<EchoReply>(await reader.ReadToEndAsync(), System.Text.Json.JsonSerializerOptions.Web)!;

        Assert.Equal("deflate", response.Content.Headers.ContentEncoding.Single());
        Assert.DoesNotContain(reply.Headers.Keys, key => key.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("compression algo gzip\n    compression type text/html", "gzip")]
    [InlineData("compression algo gzip", "br, gzip;q=0")]
    [InlineData("compression algo gzip", "identity")]
    public async Task NotEligible_SentUncompressed(string lines, string acceptEncoding)
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, lines));
        using var request = Request(acceptEncoding);

        using var response = await balancer.SendAsync(request);
        var reply = await EchoReply.ReadAsync(response);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal("o", reply.Origin);
    }
}
