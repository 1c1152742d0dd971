namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Browser sign-in at the edge, from the <c>[sessions]</c> section: an OIDC authorization code flow with PKCE
/// against one configured provider, ending in an encrypted session cookie.
/// </summary>
public sealed class SessionConfig
{
    /// <summary>Issuer of the <c>[[providers]]</c> entry that signs users in.</summary>
    public required string Provider { get; init; }

    /// <summary>OAuth client id registered at the provider; the ID token's <c>aud</c> must equal it.</summary>
    public required string ClientId { get; init; }

    /// <summary>Secret of a confidential client; null for a public client. Never logged.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Scopes requested; always contains <c>openid</c>. Add <c>offline_access</c> to get refresh tokens.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "profile"];

    /// <summary>Path the provider redirects back to with the authorization code.</summary>
    public string CallbackPath { get; init; } = "/_gatehouse/callback";

    /// <summary>Path that clears the session cookie and redirects to "/".</summary>
    public string LogoutPath { get; init; } = "/_gatehouse/logout";

    /// <summary>Name of the session cookie; the sign-in correlation cookie adds a suffix to it.</summary>
    public string CookieName { get; init; } = "gh_session";

    /// <summary>Longest a session lasts after sign-in, whatever the refresh tokens allow.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Folder of the Data Protection keys that encrypt the cookies; null means the host chooses
    /// (see <c>EdgeHostOptions.SessionKeyDirectory</c>).
    /// </summary>
    public string? KeyDirectory { get; init; }
}
