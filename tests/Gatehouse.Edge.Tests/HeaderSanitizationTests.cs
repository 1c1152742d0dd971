using Gatehouse.Edge.Pipeline;
using Gatehouse.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Tests;

public sealed class HeaderSanitizationTests
{
    [Theory]
    [InlineData("X-Gatehouse-Assertion")]
    [InlineData("x-gatehouse-anything")]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-FORWARDED-HOST")]
    [InlineData("Forwarded")]
    [InlineData("X-Real-IP")]
    [InlineData("X-Request-Id")]
    public void Sanitizer_SpoofableHeader_Removed(string name)
    {
        var headers = new HeaderDictionary { [name] = "forged", ["Accept"] = "text/plain" };

        var removed = EdgeHeaders.RemoveSpoofable(headers);

        Assert.Equal(1, removed);
        Assert.False(headers.ContainsKey(name));
        Assert.True(headers.ContainsKey("Accept"));
    }

    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer   abc", "abc")]
    [InlineData("Basic dXNlcjpwYXNz", null)]
    [InlineData("Bearer ", null)]
    [InlineData("Bearer", null)]
    public void BearerToken_Parsing(string header, string? expected)
    {
        var headers = new HeaderDictionary { ["Authorization"] = header };

        Assert.Equal(expected, EdgeHeaders.BearerToken(headers));
    }

    [Fact]
    public void BearerToken_TwoAuthorizationHeaders_Rejected()
    {
        var headers = new HeaderDictionary { ["Authorization"] = new(["Bearer a", "Bearer b"]) };

        Assert.Null(EdgeHeaders.BearerToken(headers));
    }

    [Fact]
    public void RequestIds_AreUniqueHex()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RequestIds.Create()).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }
}

public sealed class HeaderPolicyTests
{
    [Fact]
    public void Policy_DenyPrefix_RemovesMatches()
    {
        var headers = new HeaderDictionary { ["X-Debug-A"] = "1", ["x-debug-b"] = "2", ["X-Other"] = "3" };

        var removed = EdgeHeaders.ApplyPolicy(headers, new Gatehouse.Edge.Configuration.HeaderPolicy { Deny = ["X-Debug-*"] });

        Assert.Equal(2, removed);
        Assert.Equal(["X-Other"], headers.Keys);
    }

    [Fact]
    public void Policy_AllowList_KeepsEssentialHeaders()
    {
        var headers = new HeaderDictionary
        {
            ["Host"] = "h", ["Authorization"] = "Bearer x", ["Content-Type"] = "text/plain", ["Accept"] = "*/*", ["X-Tenant"] = "t",
        };

        EdgeHeaders.ApplyPolicy(headers, new Gatehouse.Edge.Configuration.HeaderPolicy { Allow = ["X-Tenant"] });

        Assert.Equal(["Authorization", "Content-Type", "Host", "X-Tenant"], headers.Keys.Order(StringComparer.Ordinal));
    }
}
