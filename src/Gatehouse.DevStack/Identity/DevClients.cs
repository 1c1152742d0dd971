namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Public OAuth clients the dev issuer accepts and the redirect URIs they may use.
/// </summary>
internal static class DevClients
{
    /// <summary>
    /// Client of <c>gatehouse token</c>, which uses the resource owner password grant.
    /// </summary>
    public const string Cli = "gatehouse-cli";

    /// <summary>
    /// Client of the edge sign-in, which uses the authorization code grant with PKCE.
    /// </summary>
    public const string Edge = "gatehouse-edge";

    /// <summary>
    /// Path every redirect URI of <see cref="Edge"/> must have.
    /// </summary>
    public const string CallbackPath = "/_gatehouse/callback";

    /// <summary>
    /// Checks a redirect URI of <see cref="Edge"/>: http on 127.0.0.1 or localhost, any port, path
    /// <see cref="CallbackPath"/>, with no user info, query or fragment.
    /// </summary>
    public static bool IsAllowedRedirectUri(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // Comparing with the rebuilt form rejects dot segments, escapes, user info, query and fragment, which
        // Uri would otherwise normalize away while the browser still follows the original string.
        var loopbackHost = uri.Host is "127.0.0.1" or "localhost";
        var canonical = $"{Uri.UriSchemeHttp}://{uri.Authority}{CallbackPath}";
        return uri.Scheme == Uri.UriSchemeHttp && loopbackHost && string.Equals(value, canonical, StringComparison.Ordinal);
    }
}
