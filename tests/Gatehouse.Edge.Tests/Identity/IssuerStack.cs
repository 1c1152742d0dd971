using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gatehouse.DevStack.Identity;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Edge.Tests.Identity;

/// <summary>A real dev issuer (OpenIddict) and a real edge whose protected route trusts it.</summary>
internal sealed class IssuerStack : IAsyncDisposable
{
    /// <summary>Trust log event: fetching the provider's configuration failed.</summary>
    public const int ConfigurationFailedEvent = 4020;

    /// <summary>Trust log event: a token names an unknown key, so the JWKS is fetched again.</summary>
    public const int KeyRefreshEvent = 4021;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private bool _issuerStopped;

    private IssuerStack(DevIssuer issuer, EdgeUnderTest edge, ShiftedTime time)
    {
        Issuer = issuer;
        Edge = edge;
        Time = time;
    }

    public DevIssuer Issuer { get; }

    public EdgeUnderTest Edge { get; }

    public ShiftedTime Time { get; }

    public static async Task<IssuerStack> StartAsync()
    {
        var issuer = await DevIssuer.StartAsync(
            new DevIssuerOptions { ListenAddress = "127.0.0.1:0" }, NullLoggerFactory.Instance, CancellationToken.None);
        var time = new ShiftedTime();
        var provider = new OidcProviderOptions { Issuer = issuer.IssuerUri.ToString(), Audience = "gatehouse", AllowHttp = true };
        var toml = $"""
            [[providers]]
            issuer = "{issuer.IssuerUri}"
            audience = "gatehouse"
            allow_http = true

            [[routes]]
            prefix = "/api/"
            kind = "protected"
            """;
        var edge = await EdgeUnderTest.StartAsync(
            toml, logs => new OidcTokenValidator([provider], httpClient: null, time, logs.CreateLogger("Gatehouse.Trust")));
        return new IssuerStack(issuer, edge, time);
    }

    public Task<string> TokenAsync(string user) =>
        DevTokenClient.RequestAccessTokenAsync(Issuer.IssuerUri, user, password: null, _http, CancellationToken.None);

    public async Task<HttpResponseMessage> GetAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Edge.Address, "/api/resource"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    /// <summary>
    /// Requests a token for <paramref name="user"/> and presents it once, so the edge has fetched the provider's
    /// keys and cached the validated token. Asserts that the edge responded 200.
    /// </summary>
    public async Task<string> ValidatedTokenAsync(string user)
    {
        var token = await TokenAsync(user);
        using var response = await GetAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return token;
    }

    /// <summary>Stops the issuer, so the edge can reach neither discovery nor JWKS.</summary>
    public async Task StopIssuerAsync()
    {
        _issuerStopped = true;
        await Issuer.DisposeAsync();
    }

    /// <summary>Returns the token with its header's kid replaced; the signature no longer matters because the kid is unknown.</summary>
    public static string WithKeyId(string token, string keyId)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        header["kid"] = keyId;
        return $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{parts[1]}.{parts[2]}";
    }

    public async ValueTask DisposeAsync()
    {
        await Edge.DisposeAsync();
        if (!_issuerStopped)
        {
            await Issuer.DisposeAsync();
        }

        _http.Dispose();
    }
}
