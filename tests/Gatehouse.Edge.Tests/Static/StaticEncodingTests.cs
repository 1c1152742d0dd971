using Gatehouse.Edge.Pipeline;

namespace Gatehouse.Edge.Tests.Static;

public sealed class StaticEncodingTests
{
    private static readonly StaticEncoding[] Both = [StaticEncoding.Brotli, StaticEncoding.Gzip];

    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("br;q=0.5, gzip;q=0.8", "gzip")]
    [InlineData("*", "br")]
    [InlineData("br;q=0, *", "gzip")]
    [InlineData("BR", "br")]
    public void Negotiate_AcceptedEncoding_PicksIt(string header, string expected)
    {
        var chosen = StaticEncoding.Negotiate(header, Both);

        Assert.NotNull(chosen);
        Assert.Equal(expected, chosen.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("identity")]
    [InlineData("deflate")]
    [InlineData("br;q=0, gzip;q=0")]
    [InlineData("*;q=0")]
    public void Negotiate_NothingAccepted_ReturnsNull(string header)
    {
        Assert.Null(StaticEncoding.Negotiate(header, Both));
    }

    [Fact]
    public void Negotiate_OnlyGzipAvailable_SkipsBrotli()
    {
        var chosen = StaticEncoding.Negotiate("br, gzip", [StaticEncoding.Gzip]);

        Assert.Equal(StaticEncoding.Gzip, chosen);
    }
}
