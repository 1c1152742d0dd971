using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;

namespace Gatehouse.Edge.Tests.Normalization;

public sealed class RoutingPathTests
{
    [Theory]
    [InlineData("/api//admin", "/api/admin")]
    [InlineData("//admin/", "/admin/")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/%61dmin/x", "/admin/x")]
    [InlineData("/%2e%2e/admin", "/admin")]
    [InlineData("/a/%2F/b", "/a/%2F/b")]
    [InlineData("/caf%C3%A9", "/caf%C3%A9")]
    [InlineData("/a//..//b", "/b")]
    public void Normalize_Defaults_RoutesAsOriginsResolve(string raw, string expected)
    {
        Assert.Equal(expected, RoutingPath.Normalize(raw, new PathNormalization()));
    }

    [Fact]
    public void Normalize_MergeSlashesOff_KeepsEmptySegments()
    {
        Assert.Equal("//admin", RoutingPath.Normalize("//admin", new PathNormalization { MergeSlashes = false }));
    }

    [Fact]
    public void Normalize_DotSegmentsOff_KeepsDots()
    {
        Assert.Equal("/a/../b", RoutingPath.Normalize("/a/../b", new PathNormalization { ResolveDotSegments = false }));
    }

    [Fact]
    public void Normalize_DecodeOff_KeepsEscapes()
    {
        Assert.Equal("/%61dmin", RoutingPath.Normalize("/%61dmin", new PathNormalization { DecodeUnreserved = false }));
    }
}
