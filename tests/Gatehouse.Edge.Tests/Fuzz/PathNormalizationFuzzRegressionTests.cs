using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>Paths the normalization fuzz target found, each pinned to its normalized form.</summary>
public sealed class PathNormalizationFuzzRegressionTests
{
    [Theory]
    // Decoding "%36" and "%35" once used to leave a new escape "%65", which a second pass decoded to "e".
    [InlineData("/..%%36%35/x", "/..%%365/x")]
    [InlineData("/%%36%35", "/%%365")]
    [InlineData("/%2%65", "/%2%65")]
    [InlineData("/a/%2%65%2%65/b", "/a/%2%65%2%65/b")]
    // Escapes that do not follow a literal '%' still decode.
    [InlineData("/%61/%2e%2e/%36%35", "/65")]
    public void Normalize_EscapeFormedByDecoding_StaysEncoded(string path, string expected)
    {
        var once = RoutingPath.Normalize(path, new PathNormalization());

        Assert.Equal(expected, once);
        Assert.Equal(once, RoutingPath.Normalize(once, new PathNormalization()));
    }

    [Theory]
    [InlineData(1970604073)]
    public void Normalize_DecodeOnlyHostilePath_Idempotent(int seed)
    {
        var options = new PathNormalization { MergeSlashes = false, ResolveDotSegments = false, DecodeUnreserved = true };

        PathNormalizationFuzzTests.AssertNormalizes(PathNormalizationFuzzTests.HostilePath(seed), options, seed);
    }
}
