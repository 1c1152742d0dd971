using Gatehouse.Edge.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Tests;

public sealed class PathSafetyTests
{
    [Theory]
    [InlineData("/a/b/../c", "/a/c")]
    [InlineData("/a/./b/.", "/a/b/")]
    [InlineData("/../../x", "/x")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/plain", "/plain")]
    public void RemoveDotSegments_FollowsRfc3986(string input, string expected)
    {
        Assert.Equal(expected, PathSafety.RemoveDotSegments(input));
    }

    [Theory]
    [InlineData("/api/public/..%2f..%2fadmin/panel", "/admin/panel")]
    [InlineData("/api/public/..%2F..%2Fadmin/panel?x=1", "/admin/panel")]
    [InlineData("/api/public/..\\..\\admin", "/admin")]
    [InlineData("/api/public/%2e%2e%2f%2e%2e%2fadmin", "/admin")]
    [InlineData("/api/public/pkg/@scope%2fname", "/api/public/pkg/@scope/name")]
    public void LenientForm_DecodesSeparatorsAndDots(string raw, string expected)
    {
        Assert.Equal(expected, PathSafety.LenientForm(raw));
    }

    [Theory]
    [InlineData("/api/public/plain?q=%2f")]
    [InlineData("*")]
    [InlineData("")]
    public void LenientForm_NothingToDecode_ReturnsNull(string raw)
    {
        Assert.Null(PathSafety.LenientForm(raw));
    }

    [Theory]
    [InlineData("X_Forwarded_For")]
    [InlineData("x_real_ip")]
    [InlineData("X_Gatehouse_Assertion")]
    [InlineData("True-Client-IP")]
    [InlineData("CF-Connecting-IP")]
    [InlineData("X-Original-URL")]
    [InlineData("X-Rewrite-URL")]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-Original-Forwarded-For")]
    public void Spoofable_VariantsAndAliases_Detected(string name)
    {
        Assert.True(EdgeHeaders.IsSpoofable(name));
    }

    [Theory]
    [InlineData("Accept")]
    [InlineData("X_Custom_Header")]
    [InlineData("Via")]
    public void Spoofable_OrdinaryHeaders_Kept(string name)
    {
        Assert.False(EdgeHeaders.IsSpoofable(name));
    }

    [Theory]
    [InlineData("a\u0001b", true)]
    [InlineData("a\u007fb", true)]
    [InlineData("a\tb", false)]
    [InlineData("caf\u00e9", false)]
    public void ControlCharacters_Detected(string value, bool expected)
    {
        var headers = new HeaderDictionary { ["X-Test"] = value };

        Assert.Equal(expected, EdgeHeaders.HasControlCharacters(headers));
    }
}
