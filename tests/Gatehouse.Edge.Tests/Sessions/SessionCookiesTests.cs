using Gatehouse.Edge.Sessions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Tests.Sessions;

public sealed class SessionCookiesTests
{
    private readonly SessionCookies _cookies = new("gh_session", "/_gatehouse/callback");

    [Fact]
    public void RemoveFromRequest_SessionChunksAndCorrelation_Removed()
    {
        var headers = new DefaultHttpContext().Request.Headers;
        headers.Cookie = "a=1; gh_session=chunks-2; gh_sessionC1=x; gh_sessionC2=y; gh_session_signin=z; gh_visitor=v";

        _cookies.RemoveFromRequest(headers);

        Assert.Equal("a=1; gh_visitor=v", headers.Cookie.ToString());
    }

    [Fact]
    public void RemoveFromRequest_OnlySession_RemovesHeader()
    {
        var headers = new DefaultHttpContext().Request.Headers;
        headers.Cookie = "gh_session=abc";

        _cookies.RemoveFromRequest(headers);

        Assert.False(headers.ContainsKey("Cookie"));
    }

    [Fact]
    public void RemoveFromRequest_NoSession_KeepsHeaderAsSent()
    {
        var headers = new DefaultHttpContext().Request.Headers;
        headers.Cookie = "a=1;b=2";

        _cookies.RemoveFromRequest(headers);

        Assert.Equal("a=1;b=2", headers.Cookie.ToString());
    }

    [Fact]
    public void WriteSession_SetsHttpOnlyLaxRootCookie()
    {
        var context = new DefaultHttpContext();

        _cookies.WriteSession(context, "value", DateTimeOffset.UtcNow.AddHours(1));

        var setCookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith("gh_session=value", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/;", setCookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", setCookie, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/orders?x=1", "/api/orders?x=1")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("api/orders", "/")]
    [InlineData("/a b", "/")]
    [InlineData("/a\r\nSet-Cookie: x=1", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void ReturnUrl_Sanitize_KeepsOnlyLocalPaths(string? url, string expected)
    {
        Assert.Equal(expected, ReturnUrls.Sanitize(url));
    }
}
