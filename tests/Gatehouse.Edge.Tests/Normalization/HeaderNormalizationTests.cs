using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Edge.Tests.Normalization;

public sealed class HeaderNormalizationTests
{
    [Fact]
    public void Underscores_DefaultDrop_RemovesOnlyUnderscoredNames()
    {
        var headers = new HeaderDictionary { ["X_User"] = "admin", ["X-User"] = "alice" };

        var rejection = HeaderNormalization.Apply(headers, new HeaderPolicy());

        Assert.Null(rejection);
        Assert.False(headers.ContainsKey("X_User"));
        Assert.Equal("alice", headers["X-User"]);
    }

    [Fact]
    public void Underscores_Reject_ReturnsReason()
    {
        var headers = new HeaderDictionary { ["X_User"] = "admin" };

        var rejection = HeaderNormalization.Apply(headers, new HeaderPolicy { Underscores = UnderscoreHeaders.Reject });

        Assert.Equal("underscore in a header name", rejection);
    }

    [Fact]
    public void Underscores_Forward_KeepsHeader()
    {
        var headers = new HeaderDictionary { ["X_User"] = "admin" };

        var rejection = HeaderNormalization.Apply(headers, new HeaderPolicy { Underscores = UnderscoreHeaders.Forward });

        Assert.Null(rejection);
        Assert.Equal("admin", headers["X_User"]);
    }

    [Fact]
    public void TrimValues_On_RemovesSpacesAndTabs()
    {
        var headers = new HeaderDictionary { ["X-Tenant"] = new StringValues([" a\t", "\tb "]) };

        HeaderNormalization.Apply(headers, new HeaderPolicy());

        Assert.Equal(new[] { "a", "b" }, headers["X-Tenant"].ToArray());
    }

    [Fact]
    public void TrimValues_Off_KeepsValue()
    {
        var headers = new HeaderDictionary { ["X-Tenant"] = " a " };

        HeaderNormalization.Apply(headers, new HeaderPolicy { TrimValues = false });

        Assert.Equal(" a ", headers["X-Tenant"]);
    }

    [Theory]
    [InlineData("Accept")]
    [InlineData("cache-control")]
    [InlineData("If-None-Match")]
    public void MergeDuplicates_ListHeader_JoinedWithComma(string name)
    {
        var headers = new HeaderDictionary { [name] = new StringValues(["a", "b"]) };

        HeaderNormalization.Apply(headers, new HeaderPolicy());

        Assert.Equal("a, b", headers[name].Single());
    }

    [Theory]
    [InlineData("Cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("X-Tenant")]
    [InlineData("Content-Type")]
    public void MergeDuplicates_NotAList_LinesKept(string name)
    {
        var headers = new HeaderDictionary { [name] = new StringValues(["a=1", "b=2"]) };

        HeaderNormalization.Apply(headers, new HeaderPolicy());

        Assert.Equal(new[] { "a=1", "b=2" }, headers[name].ToArray());
    }

    [Fact]
    public void MergeDuplicates_Off_LinesKept()
    {
        var headers = new HeaderDictionary { ["Accept"] = new StringValues(["a", "b"]) };

        HeaderNormalization.Apply(headers, new HeaderPolicy { MergeDuplicates = false });

        Assert.Equal(new[] { "a", "b" }, headers["Accept"].ToArray());
    }

    [Fact]
    public void Apply_NormalHeaders_LeavesThemUnchanged()
    {
        var values = new StringValues("text/html");
        var headers = new HeaderDictionary { ["Accept"] = values };

        HeaderNormalization.Apply(headers, new HeaderPolicy());

        Assert.Equal(values, headers["Accept"]);
    }
}
