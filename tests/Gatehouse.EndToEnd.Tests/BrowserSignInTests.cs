using System.Net;
using System.Text.RegularExpressions;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>Browser sign-in at the edge against the real dev issuer, driven with manual redirects and cookies.</summary>
public sealed partial class BrowserSignInTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public BrowserSignInTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task SignIn_AliceInBrowser_ReachesStaffPool()
    {
        var session = await SignInAsync("alice", "/api/orders");

        using var orders = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/api/orders"), session, html: true);
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        var echo = await StackFixture.EchoAsync(orders);
        Assert.Equal("staff", echo.GetProperty("pool").GetString());
        var headers = echo.GetProperty("headers").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain("authorization", headers);
        var record = await StackFixture.WaitForRecordAsync(
            _stack.Stack.EdgeDecisions.FilePath!, orders.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("forward", record.GetProperty("decision").GetString());
        Assert.Equal("session", record.GetProperty("reason").GetString());
        Assert.Equal("alice", record.GetProperty("subject").GetString());

        using var admin = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/admin/panel"), session, html: true);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Contains("group not allowed", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ClearsSessionCookie()
    {
        var session = await SignInAsync("alice", "/api/orders");

        using var logout = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/_gatehouse/logout"), session, html: true);

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/", logout.Headers.Location!.OriginalString);
        var cleared = logout.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gh_session=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedSession_HtmlRedirectsApiGets401()
    {
        var session = await SignInAsync("alice", "/api/orders");
        var tampered = session.Select(cookie => cookie.StartsWith("gh_session", StringComparison.Ordinal) ? Tamper(cookie) : cookie).ToList();

        using var html = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/api/orders"), tampered, html: true);
        using var api = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/api/orders"), tampered, html: false);

        Assert.Equal(HttpStatusCode.Found, html.StatusCode);
        Assert.StartsWith(_stack.Stack.Issuer.IssuerUri.ToString(), html.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task GarbageSessionCookie_ApiGets401()
    {
        using var api = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/api/orders"), ["gh_session=%FF%FE garbage"], html: false);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Callback_StateMismatch_Returns400()
    {
        using var challenge = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, "/api/orders"), [], html: true);
        var correlation = Cookies(challenge);

        using var callback = await SendAsync(
            HttpMethod.Get, new Uri(_stack.Edge, "/_gatehouse/callback?code=x&state=forged"), correlation, html: true);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.DoesNotContain(Cookies(callback), cookie => cookie.StartsWith("gh_session=", StringComparison.Ordinal) && cookie.Length > 11);
    }

    /// <summary>Runs the whole browser flow and returns the session cookies as name=value pairs.</summary>
    private async Task<List<string>> SignInAsync(string user, string path)
    {
        // 1. A protected page without credentials redirects to the issuer.
        using var challenge = await SendAsync(HttpMethod.Get, new Uri(_stack.Edge, path), [], html: true);
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(_stack.Stack.Issuer.IssuerUri.ToString(), authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        var correlation = Cookies(challenge);
        var record = await StackFixture.WaitForRecordAsync(
            _stack.Stack.EdgeDecisions.FilePath!, challenge.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("redirect", record.GetProperty("decision").GetString());
        Assert.Equal("sign-in required", record.GetProperty("reason").GetString());
        Assert.Equal(302, record.GetProperty("status").GetInt32());

        // 2. The issuer's sign-in page, then its form posted as the chosen user.
        using var page = await SendAsync(HttpMethod.Get, authorize, [], html: true);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = HiddenField().Matches(await page.Content.ReadAsStringAsync())
            .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .Append(KeyValuePair.Create("dev_user", user))
            .ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(authorize.GetLeftPart(UriPartial.Path)))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        using var signedIn = await _stack.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        var callback = signedIn.Headers.Location!;
        Assert.Equal(_stack.Edge.Authority, callback.Authority);

        // 3. The edge's callback sets the session and returns to the page first asked for.
        using var back = await SendAsync(HttpMethod.Get, callback, correlation, html: true);
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        Assert.Equal(path, back.Headers.Location!.OriginalString);
        var session = Cookies(back).Where(cookie => cookie.StartsWith("gh_session", StringComparison.Ordinal) && !cookie.StartsWith("gh_session_signin", StringComparison.Ordinal)).ToList();
        Assert.Contains(session, cookie => cookie.StartsWith("gh_session=", StringComparison.Ordinal));
        var signInRecord = await StackFixture.WaitForRecordAsync(
            _stack.Stack.EdgeDecisions.FilePath!, back.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("signed in", signInRecord.GetProperty("reason").GetString());
        return session;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, List<string> cookies, bool html)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Accept", html ? "text/html,application/xhtml+xml" : "application/json");
        if (cookies.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", cookies));
        }

        return await _stack.Http.SendAsync(request);
    }

    /// <summary>Returns the name=value part of each Set-Cookie header.</summary>
    private static List<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(value => value.Split(';')[0]).ToList() : [];

    private static string Tamper(string cookie)
    {
        var chars = cookie.ToCharArray();
        var index = cookie.IndexOf('=', StringComparison.Ordinal) + (cookie.Length - cookie.IndexOf('=', StringComparison.Ordinal)) / 2;
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
