using Gatehouse.Edge.Tests.Support;

namespace Gatehouse.Edge.Tests.Normalization;

// Each test starts a real edge on Kestrel in front of an echo origin and sends raw HTTP/1.1.
public sealed class NormalizationEdgeTests
{
    private const string Routes = """
        [[routes]]
        prefix = "/api/public/"
        kind = "public"
        """;

    [Fact]
    public async Task MergeSlashes_DoubleSlash_ForwardsRawTarget()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (status, body) = await RawHttp.SendAsync(edge.Address, "//api//public/x?q=1");

        Assert.Equal(200, status);
        Assert.Equal("//api//public/x?q=1", EchoedRequest.Parse(body).Target);
    }

    [Fact]
    public async Task MergeSlashesOff_DoubleSlash_NoRoute()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes + "\n[paths]\nmerge_slashes = false\n");

        var (status, _) = await RawHttp.SendAsync(edge.Address, "//api/public/x");

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task DecodeUnreserved_EncodedLetter_ForwardsRawTarget()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (status, body) = await RawHttp.SendAsync(edge.Address, "/%61pi/public/x");

        Assert.Equal(200, status);
        Assert.Equal("/%61pi/public/x", EchoedRequest.Parse(body).Target);
    }

    [Fact]
    public async Task Underscores_Default_DroppedBeforeOrigin()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (status, body) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "X_User: admin", "X-User: alice");

        Assert.Equal(200, status);
        var echoed = EchoedRequest.Parse(body);
        Assert.Empty(echoed.Values("X_User"));
        Assert.Equal(["alice"], echoed.Values("X-User"));
    }

    [Fact]
    public async Task Underscores_Reject_Returns400()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes + "\n[headers]\nunderscores = \"reject\"\n");

        var (status, body) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "X_User: admin");

        Assert.Equal(400, status);
        Assert.Contains("underscore in a header name", body, StringComparison.Ordinal);
        Assert.Equal("header normalization", edge.Decisions.Records.Single().Rule);
    }

    [Fact]
    public async Task MergeDuplicates_ListHeader_JoinedAtOrigin()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (_, body) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "Accept: text/html", "Accept: application/json");

        Assert.Equal(["text/html, application/json"], EchoedRequest.Parse(body).Values("Accept"));
    }

    [Fact]
    public async Task MergeDuplicates_Cookie_NeverJoinedWithComma()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (_, body) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "Cookie: a=1", "Cookie: b=2");

        var cookies = string.Join("|", EchoedRequest.Parse(body).Values("Cookie"));
        Assert.Contains("a=1", cookies, StringComparison.Ordinal);
        Assert.Contains("b=2", cookies, StringComparison.Ordinal);
        Assert.DoesNotContain(", ", cookies, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrimValues_PaddedValue_TrimmedAtOrigin()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);

        var (_, body) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "X-Tenant: \t acme \t");

        Assert.Equal(["acme"], EchoedRequest.Parse(body).Values("X-Tenant"));
    }

    [Fact]
    public async Task MaxRequestHeaders_Exceeded_Returns431()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes + "\n[limits]\nmax_request_headers = 10\n");
        var lines = Enumerable.Range(0, 12).Select(i => $"X-H{i}: v").ToArray();

        var (status, _) = await RawHttp.SendAsync(edge.Address, "/api/public/x", lines);

        Assert.Equal(431, status);
    }

    [Fact]
    public async Task MaxRequestHeadersBytes_Exceeded_Returns431()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes + "\n[limits]\nmax_request_headers_bytes = 1024\n");

        var (status, _) = await RawHttp.SendAsync(edge.Address, "/api/public/x", "X-Big: " + new string('a', 2048));

        Assert.Equal(431, status);
    }
}
