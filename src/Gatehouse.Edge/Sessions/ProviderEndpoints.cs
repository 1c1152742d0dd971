using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Edge.Configuration;
using Gatehouse.Trust.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Edge.Sessions;

/// <summary>Tokens from one successful token endpoint response.</summary>
internal sealed record TokenResponse(string AccessToken, string? IdToken, string? RefreshToken);

/// <summary>
/// The sign-in provider's authorization and token endpoints, found through its discovery document, and
/// ID token validation. Discovery and keys are cached and refreshed by a <see cref="ConfigurationManager{T}"/>.
/// </summary>
internal sealed class ProviderEndpoints
{
    private readonly SessionConfig _config;
    private readonly OidcProviderOptions _provider;
    private readonly HttpClient _http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _discovery;
    private readonly JsonWebTokenHandler _handler = new();

    public ProviderEndpoints(SessionConfig config, OidcProviderOptions provider, HttpClient http)
    {
        _config = config;
        _provider = provider;
        _http = http;
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = !provider.AllowHttp };
        var address = provider.MetadataAddress ?? provider.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        _discovery = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), retriever);
    }

    /// <summary>Builds the authorization request URL with PKCE (S256), state and nonce.</summary>
    public async Task<string> BuildAuthorizationUrlAsync(
        string redirectUri, SignInCorrelation correlation, CancellationToken cancellationToken)
    {
        var discovery = await _discovery.GetConfigurationAsync(cancellationToken);
        var message = new OpenIdConnectMessage
        {
            IssuerAddress = discovery.AuthorizationEndpoint,
            ResponseType = OpenIdConnectResponseType.Code,
            ClientId = _config.ClientId,
            RedirectUri = redirectUri,
            Scope = string.Join(' ', _config.Scopes),
            State = correlation.State,
            Nonce = correlation.Nonce,
        };
        message.SetParameter(Pkce.ChallengeParameter, Pkce.Challenge(correlation.CodeVerifier));
        message.SetParameter(Pkce.ChallengeMethodParameter, Pkce.S256);
        return message.CreateAuthenticationRequestUrl();
    }

    /// <summary>Exchanges an authorization code; returns null and the provider's error when it rejects the request.</summary>
    public Task<(TokenResponse? Tokens, string? Error)> RedeemCodeAsync(
        string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken) =>
        PostTokenRequestAsync(new Dictionary<string, string>
        {
            [OpenIdConnectParameterNames.GrantType] = OpenIdConnectGrantTypes.AuthorizationCode,
            [OpenIdConnectParameterNames.Code] = code,
            [OpenIdConnectParameterNames.RedirectUri] = redirectUri,
            [Pkce.VerifierParameter] = codeVerifier,
        }, cancellationToken);

    /// <summary>Redeems a refresh token; returns null and the provider's error when it rejects the request.</summary>
    public Task<(TokenResponse? Tokens, string? Error)> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostTokenRequestAsync(new Dictionary<string, string>
        {
            [OpenIdConnectParameterNames.GrantType] = OpenIdConnectGrantTypes.RefreshToken,
            [OpenIdConnectParameterNames.RefreshToken] = refreshToken,
        }, cancellationToken);

    /// <summary>
    /// Validates an ID token: signature with the provider's keys, lifetime, <c>iss</c>, <c>aud</c> equal to the
    /// client id, and a <c>nonce</c> equal to the one sent. Returns null when valid, else the reason.
    /// </summary>
    public async Task<string?> ValidateIdTokenAsync(string idToken, string nonce, CancellationToken cancellationToken)
    {
        var discovery = await _discovery.GetConfigurationAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = _provider.Issuer,
            ValidAudience = _config.ClientId,
            ValidAlgorithms = _provider.Algorithms,
            IssuerSigningKeys = discovery.SigningKeys,
            ClockSkew = _provider.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        if (!result.IsValid)
        {
            return $"invalid ID token: {result.Exception?.GetType().Name}";
        }

        var tokenNonce = result.Claims.TryGetValue(OpenIdConnectParameterNames.Nonce, out var value) ? value as string : null;
        return tokenNonce is not null && Pkce.FixedTimeEquals(tokenNonce, nonce) ? null : "ID token nonce does not match";
    }

    private async Task<(TokenResponse? Tokens, string? Error)> PostTokenRequestAsync(
        Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var discovery = await _discovery.GetConfigurationAsync(cancellationToken);
        form[OpenIdConnectParameterNames.ClientId] = _config.ClientId;
        using var request = new HttpRequestMessage(HttpMethod.Post, discovery.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        if (_config.ClientSecret is { } secret)
        {
            // client_secret_basic: both parts form-encoded, then Base64, as RFC 6749 section 2.3.1 requires.
            var credentials = $"{Uri.EscapeDataString(_config.ClientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        OpenIdConnectMessage message;
        try
        {
            message = new OpenIdConnectMessage(body);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"token endpoint returned {(int)response.StatusCode} without a JSON body");
        }

        if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(message.AccessToken))
        {
            return (null, $"token endpoint returned {(int)response.StatusCode} {message.Error ?? "without an access token"}");
        }

        return (new TokenResponse(message.AccessToken, message.IdToken, message.RefreshToken), null);
    }
}

/// <summary>Proof Key for Code Exchange (RFC 7636) values and constant-time comparison of protocol values.</summary>
internal static class Pkce
{
    public const string ChallengeParameter = "code_challenge";
    public const string ChallengeMethodParameter = "code_challenge_method";
    public const string VerifierParameter = "code_verifier";
    public const string S256 = "S256";

    /// <summary>Returns a random 256-bit value, Base64url-encoded: 43 characters, as a verifier, state or nonce.</summary>
    public static string NewRandomValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Returns the S256 code challenge of a verifier.</summary>
    public static string Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
