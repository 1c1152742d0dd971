using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Validation of token and authorization requests. OpenIddict's degraded mode has no application or user store,
/// so these handlers are the only check of client ids, grant types, redirect URIs and passwords.
/// </summary>
internal static class DevRequestValidation
{
    /// <summary>
    /// Registers the validation handlers on <paramref name="server"/>.
    /// </summary>
    public static void Register(OpenIddictServerBuilder server, ILogger logger)
    {
        server.AddEventHandler<ValidateTokenRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                ValidateTokenRequest(context, logger);
                return default;
            })
            .SetOrder(int.MinValue + 100_000));

        server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                ValidateAuthorizationRequest(context, logger);
                return default;
            })
            .SetOrder(int.MinValue + 100_000));
    }

    private static void ValidateTokenRequest(ValidateTokenRequestContext context, ILogger logger)
    {
        var request = context.Request;
        var (error, reason) = CheckTokenRequest(request.ClientId, request.ClientSecret, request.GrantType,
            request.Username, request.Password);
        if (error is null)
        {
            return;
        }

        DevStackLog.TokenRequestRejected(logger, request.ClientId, request.GrantType, error, reason!);
        context.Reject(error, reason);
    }

    /// <summary>
    /// Checks a token request and returns the OAuth error code and description, or nulls when it is valid.
    /// </summary>
    internal static (string? Error, string? Reason) CheckTokenRequest(
        string? clientId, string? clientSecret, string? grantType, string? username, string? password)
    {
        if (clientId is not (DevClients.Cli or DevClients.Edge))
        {
            return (Errors.InvalidClient, $"The client_id must be '{DevClients.Cli}' or '{DevClients.Edge}'.");
        }

        if (!string.IsNullOrEmpty(clientSecret))
        {
            return (Errors.InvalidClient, "The dev issuer's clients are public and must not send a client_secret.");
        }

        var grantAllowed = (clientId, grantType) switch
        {
            (_, GrantTypes.RefreshToken) => true,
            (DevClients.Cli, GrantTypes.Password) => true,
            (DevClients.Edge, GrantTypes.AuthorizationCode) => true,
            _ => false,
        };
        if (!grantAllowed)
        {
            return (Errors.UnauthorizedClient, $"The client '{clientId}' may not use the grant type '{grantType}'.");
        }

        if (grantType == GrantTypes.Password && DevUser.FindByPassword(username, password) is null)
        {
            return (Errors.InvalidGrant, "The user name or password is invalid");
        }

        return (null, null);
    }

    // NOTE: authorization errors such as a missing code_challenge or an unknown scope reach the browser as a 400
    // response from the issuer. OpenIddict does not redirect them to the client's redirect_uri.
    private static void ValidateAuthorizationRequest(ValidateAuthorizationRequestContext context, ILogger logger)
    {
        var request = context.Request;
        string? error = null;
        string? reason = null;
        if (request.ClientId != DevClients.Edge)
        {
            (error, reason) = (Errors.InvalidClient, $"The client_id must be '{DevClients.Edge}'.");
        }
        else if (!DevClients.IsAllowedRedirectUri(request.RedirectUri))
        {
            (error, reason) = (Errors.InvalidRequest,
                $"The redirect_uri must be http://127.0.0.1:PORT{DevClients.CallbackPath} or http://localhost:PORT{DevClients.CallbackPath}.");
        }

        if (error is null)
        {
            return;
        }

        DevStackLog.AuthorizationRequestRejected(logger, request.ClientId, error, reason!);
        context.Reject(error, reason);
    }
}
