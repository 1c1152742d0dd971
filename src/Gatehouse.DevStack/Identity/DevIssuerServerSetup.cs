using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// OpenIddict server settings of the dev issuer: endpoints, flows, keys and degraded mode.
/// </summary>
internal static class DevIssuerServerSetup
{
    public static void Configure(
        OpenIddictServerBuilder server, DevIssuerOptions options, DevIssuerKeys keys, IssuerHolder issuerHolder)
    {
        server.SetAuthorizationEndpointUris(DevIssuer.AuthorizationPath.TrimStart('/'))
            .SetTokenEndpointUris(DevIssuer.TokenPath.TrimStart('/'));

        server.AllowPasswordFlow()
            .AllowAuthorizationCodeFlow()
            .AllowRefreshTokenFlow()
            .RequireProofKeyForCodeExchange();

        server.RegisterScopes([.. DevPrincipalFactory.SupportedScopes])
            .RegisterClaims(DevPrincipalFactory.GroupsClaim)
            .SetAccessTokenLifetime(options.AccessTokenLifetime);

        // Degraded mode runs without an application, authorization or token store, so DevRequestValidation
        // makes the checks those stores would make.
        server.EnableDegradedMode();

        // Plain RS256 JWTs, so any OIDC validator can check access tokens without a decryption key.
        server.DisableAccessTokenEncryption()
            .AddSigningKey(keys.SigningKey)
            .AddEncryptionKey(keys.EncryptionKey);

        // The listener is loopback HTTP, which OpenIddict otherwise rejects.
        server.UseAspNetCore()
            .DisableTransportSecurityRequirement()
            .EnableAuthorizationEndpointPassthrough();

        // The port is known only once Kestrel has bound it, and OpenIddict reads its options on the first request.
        server.Configure(serverOptions => serverOptions.Issuer = issuerHolder.Value);
    }
}

/// <summary>
/// Issuer URI, set after Kestrel has bound its port and before the first request reaches OpenIddict.
/// </summary>
internal sealed class IssuerHolder
{
    private Uri? _value;

    public Uri Value => Volatile.Read(ref _value)
        ?? throw new InvalidOperationException("The dev issuer URI was read before the listener started.");

    public void Set(Uri value) => Volatile.Write(ref _value, value);
}
