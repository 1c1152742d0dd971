using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Handler of validated token requests: builds a fresh principal from the demo account and lets OpenIddict sign
/// the access token, ID token and refresh token.
/// </summary>
internal static class DevTokenIssuance
{
    /// <summary>
    /// Registers the token request handler on <paramref name="server"/>.
    /// </summary>
    public static void Register(OpenIddictServerBuilder server, DevPrincipalFactory principals, ILogger logger)
    {
        server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
        {
            HandleTokenRequest(context, principals, logger);
            return default;
        }));
    }

    private static void HandleTokenRequest(HandleTokenRequestContext context, DevPrincipalFactory principals,
        ILogger logger)
    {
        var request = context.Request;
        var (user, scopes) = ResolveUser(context);
        if (user is null)
        {
            // The code or refresh token names an account this build does not have.
            const string Reason = "The token names a user the dev issuer does not know.";
            DevStackLog.TokenRequestRejected(logger, request.ClientId, request.GrantType, Errors.InvalidGrant, Reason);
            context.Reject(Errors.InvalidGrant, Reason);
            return;
        }

        context.SignIn(principals.Create(user, scopes));
        DevStackLog.TokenIssued(logger, user.Name, request.ClientId, request.GrantType);
    }

    private static (DevUser? User, IEnumerable<string> Scopes) ResolveUser(HandleTokenRequestContext context)
    {
        var request = context.Request;
        if (request.IsPasswordGrantType())
        {
            return (DevUser.FindByPassword(request.Username, request.Password), request.GetScopes());
        }

        var previous = request.IsAuthorizationCodeGrantType()
            ? context.AuthorizationCodePrincipal
            : context.RefreshTokenPrincipal;
        if (previous is null)
        {
            return (null, []);
        }

        // A refresh request may narrow the scopes, and OpenIddict has already rejected any scope not granted before.
        var requestedScopes = request.GetScopes();
        IEnumerable<string> scopes = requestedScopes.IsEmpty ? previous.GetScopes() : requestedScopes;
        return (DevUser.Find(previous.GetClaim(Claims.Subject)), scopes);
    }
}
