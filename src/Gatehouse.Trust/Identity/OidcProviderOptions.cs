namespace Gatehouse.Trust.Identity;

/// <summary>One trusted OIDC provider, found through its discovery document.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>Issuer URL exactly as it appears in the tokens' <c>iss</c> claim.</summary>
    public required string Issuer { get; init; }

    /// <summary>Required <c>aud</c> value.</summary>
    public required string Audience { get; init; }

    /// <summary>Discovery document URL; defaults to the issuer plus <c>/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; init; }

    /// <summary>Signing algorithms accepted; anything else, "none" and HMAC included, is rejected.</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"];

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Claim holding group names; a dotted path such as <c>realm_access.roles</c> walks nested JSON.</summary>
    public string GroupsClaim { get; init; } = "groups";

    /// <summary>
    /// How often discovery and JWKS are fetched again on schedule; at least 5 minutes. An unknown <c>kid</c>
    /// also triggers a fetch, at most once per 5 seconds.
    /// </summary>
    public TimeSpan MetadataRefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Allows plain-HTTP discovery and JWKS; only for loopback development issuers.</summary>
    public bool AllowHttp { get; init; }
}
