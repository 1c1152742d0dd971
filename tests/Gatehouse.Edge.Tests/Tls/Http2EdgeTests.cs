using System.Net;
using System.Net.Http.Headers;

namespace Gatehouse.Edge.Tests.Tls;

/// <summary>
/// HTTP/2 over TLS from clients through the edge's features. HttpClient lowercases header names and drops
/// connection-specific headers before it sends HTTP/2. So these tests cannot send what RFC 9113 calls malformed,
/// which Kestrel rejects (docs/edge-config.md).
/// </summary>
public sealed class Http2EdgeTests
{
    private static string Config(string folder) => $$"""
        [[providers]]
        issuer = "https://issuer.test/"
        audience = "gatehouse"

        [[routes]]
        prefix = "/static/"
        kind = "static"
        root = "{{folder.Replace("\\", "/", StringComparison.Ordinal)}}/static"

        [[routes]]
        prefix = "/api/"
        kind = "protected"

        [[routes]]
        prefix = "/"
        kind = "public"

        {{TlsListenerTests.OneCertificate}}
        """;

    [Fact]
    public async Task Http2_StaticAsset_IsServed()
    {
        await using var edge = await StartAsync();
        using var client = edge.CreateClient(http2Only: true);

        using var response = await client.GetAsync(new Uri(edge.Https, "/static/hello.txt"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello over h2\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http2_ProtectedRoute_ChecksBearerToken()
    {
        await using var edge = await StartAsync();
        using var client = edge.CreateClient(http2Only: true);

        using var anonymous = await client.GetAsync(new Uri(edge.Https, "/api/orders"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.Https, "/api/orders"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TlsEdge.ValidToken);
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var authorized = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpVersion.Version20, authorized.Version);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        var echoed = Support.EchoedRequest.Parse(await authorized.Content.ReadAsStringAsync());
        Assert.Equal("/api/orders", echoed.Target);
    }

    [Fact]
    public async Task Http2_PublicRoute_ForwardsQueryAndBody()
    {
        await using var edge = await StartAsync();
        using var client = edge.CreateClient(http2Only: true);

        using var response = await client.PostAsync(new Uri(edge.Https, "/items?id=7"), new StringContent("payload"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = Support.EchoedRequest.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/items?id=7", echoed.Target);
        Assert.Single(echoed.Values("X-Request-Id"));
    }

    [Fact]
    public async Task Http2_SixtyConcurrentStreams_ShareOneConnection()
    {
        await using var edge = await StartAsync();
        var connections = new ConnectionCounter();
        using var client = edge.CreateClient(connections: connections, http2Only: true);

        // Kestrel allows 100 concurrent streams per connection by default, so 60 fit on one connection.
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            using var response = await client.GetAsync(new Uri(edge.Https, $"/stream/{i}"));
            var echoed = Support.EchoedRequest.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, response.Version, echoed.Target, Index: i);
        }));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.All(responses, response => Assert.Equal(HttpVersion.Version20, response.Version));
        Assert.All(responses, response => Assert.Equal($"/stream/{response.Index}", response.Target));
        Assert.Equal(1, connections.Count);
    }

    private static async Task<TlsEdge> StartAsync()
    {
        var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        Directory.CreateDirectory(Path.Combine(edge.Folder, "static"));
        File.WriteAllText(Path.Combine(edge.Folder, "static", "hello.txt"), "hello over h2\n");
        await edge.StartAsync(Config(edge.Folder));
        return edge;
    }
}
