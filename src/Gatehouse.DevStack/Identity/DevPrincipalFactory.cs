using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Builder of the claims principal the dev issuer signs in, for every grant.
/// </summary>
internal sealed class DevPrincipalFactory(string audience)
{
    /// <summary>
    /// Claim carrying the user's groups as a JSON array. Gatehouse maps groups to backend pools.
    /// </summary>
    public const string GroupsClaim = "groups";

    /// <summary>
    /// Scopes a client may request. <c>openid</c> adds an ID token and <c>offline_access</c> a refresh token.
    /// </summary>
    public static ImmutableArray<string> SupportedScopes { get; } =
        [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, GroupsClaim];

    /// <summary>
    /// Creates the principal for <paramref name="user"/> with the granted <paramref name="scopes"/>.
    /// Access tokens carry sub, name, groups, aud and scope. ID tokens carry sub, name and groups.
    /// </summary>
    public ClaimsPrincipal Create(DevUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Name);
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, user.Name);
        if (user.Groups.Count > 0)
        {
            // One claim per group. DevTokenShaping writes them as a JSON array even when there is only one.
            identity.SetClaims(GroupsClaim, [.. user.Groups]);
        }

        identity.SetScopes(scopes.Intersect(SupportedScopes, StringComparer.Ordinal));
        identity.SetAudiences(audience);
        identity.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }
}
