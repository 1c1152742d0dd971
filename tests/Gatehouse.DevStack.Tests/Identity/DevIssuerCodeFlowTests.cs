using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.DevStack.Origins;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed partial class DevIssuerCodeFlowTests(DevIssuerFixture fixture) : IClassFixture<DevIssuerFixture>
{
    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    private static string CreateVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private Uri AuthorizeUri(string redirectUri, string challenge, string clientId = "gatehouse-edge")
    {
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid profile groups offline_access",
            ["state"] = "state-123",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }.Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"));
        return new Uri(fixture.Issuer.IssuerUri, $"connect/authorize?{query}");
    }

    /// <summary>
    /// Opens the sign-in page, picks <paramref name="user"/> and returns the redirect location the issuer sends.
    /// </summary>
    private async Task<Uri> SignInAsync(Uri authorizeUri, string user)
    {
        using var page = await fixture.Http.GetAsync(authorizeUri);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(html)
            .Select(match => KeyValuePair.Create(WebUtility.HtmlDecode(match.Groups[1].Value),
                WebUtility.HtmlDecode(match.Groups[2].Value)))
            .Append(KeyValuePair.Create("dev_user", user))
            .ToList();
        Assert.Contains(fields, field => field.Key == "code_challenge");

        using var submit = await fixture.Http.PostAsync(
            new Uri(fixture.Issuer.IssuerUri, "connect/authorize"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        return submit.Headers.Location!;
    }

    private static async Task<Dictionary<string, string>> FollowToCallbackAsync(HttpClient http, Uri location)
    {
        var echo = JsonDocument.Parse(await http.GetStringAsync(location)).RootElement;
        Assert.Equal("/_gatehouse/callback", echo.GetProperty("path").GetString());
        return echo.GetProperty("query").GetString()!.Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));
    }

    [Fact]
    public async Task CodeFlow_Pkce_IssuesTokensForChosenUser()
    {
        await using var callback = await DemoOrigin.StartAsync(
            "callback", "edge", "127.0.0.1:0", NullLoggerFactory.Instance, CancellationToken.None);
        var redirectUri = new Uri(callback.Address, "/_gatehouse/callback").ToString();
        var verifier = CreateVerifier();

        var location = await SignInAsync(AuthorizeUri(redirectUri, Challenge(verifier)), "bob");
        Assert.StartsWith(redirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var callbackQuery = await FollowToCallbackAsync(fixture.Http, location);
        Assert.Equal("state-123", callbackQuery["state"]);

        var (status, body) = await fixture.PostTokenAsync(("grant_type", "authorization_code"),
            ("client_id", "gatehouse-edge"), ("code", callbackQuery["code"]), ("redirect_uri", redirectUri),
            ("code_verifier", verifier));

        Assert.Equal(HttpStatusCode.OK, status);
        var access = DevIssuerFixture.DecodePayload(body.GetProperty("access_token").GetString()!);
        Assert.Equal("bob", access.GetProperty("sub").GetString());
        Assert.Equal("gatehouse", access.GetProperty("aud").GetString());
        Assert.Equal(["staff", "admin"], access.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!));
        var identity = DevIssuerFixture.DecodePayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal("bob", identity.GetProperty("sub").GetString());
        Assert.Equal("gatehouse-edge", identity.GetProperty("aud").GetString());
        Assert.Equal(fixture.Issuer.IssuerUri.ToString(), identity.GetProperty("iss").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
    }

    [Fact]
    public async Task CodeFlow_WrongVerifier_InvalidGrant()
    {
        const string RedirectUri = "http://localhost:5999/_gatehouse/callback";
        var location = await SignInAsync(AuthorizeUri(RedirectUri, Challenge(CreateVerifier())), "alice");
        var code = location.Query.TrimStart('?').Split('&').Single(pair => pair.StartsWith("code=", StringComparison.Ordinal))[5..];

        var (status, body) = await fixture.PostTokenAsync(("grant_type", "authorization_code"),
            ("client_id", "gatehouse-edge"), ("code", Uri.UnescapeDataString(code)), ("redirect_uri", RedirectUri),
            ("code_verifier", CreateVerifier()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("https://evil.example/_gatehouse/callback")]
    [InlineData("http://127.0.0.1:5999/other")]
    [InlineData("http://127.0.0.1:5999/_gatehouse/callback?next=/x")]
    public async Task Authorize_ForeignRedirectUri_RejectedWithoutRedirect(string redirectUri)
    {
        using var response = await fixture.Http.GetAsync(AuthorizeUri(redirectUri, Challenge(CreateVerifier())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_UnknownClient_RejectedWithoutRedirect()
    {
        var uri = AuthorizeUri("http://127.0.0.1:5999/_gatehouse/callback", Challenge(CreateVerifier()), "other");

        using var response = await fixture.Http.GetAsync(uri);

        // OpenIddict maps invalid_client to 401.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_MissingPkce_Rejected()
    {
        var uri = new Uri(fixture.Issuer.IssuerUri, "connect/authorize?client_id=gatehouse-edge&response_type=code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5999%2F_gatehouse%2Fcallback&scope=openid");

        using var response = await fixture.Http.GetAsync(uri);

        // OpenIddict checks PKCE before the redirect_uri, so it returns the error itself instead of redirecting.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("code_challenge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_UnknownScope_InvalidScope()
    {
        var uri = AuthorizeUri("http://127.0.0.1:5999/_gatehouse/callback", Challenge(CreateVerifier()))
            .ToString().Replace("scope=openid", "scope=openid%20bogus", StringComparison.Ordinal);

        using var response = await fixture.Http.GetAsync(new Uri(uri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_scope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }
}
