using Gatehouse.Edge.Logging;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Sessions;

/// <summary>
/// Authenticates a request by its session cookie, and redeems the refresh token when the access token is
/// about to expire. Subject and groups come from the session; the access token stays in the cookie and is
/// not forwarded to the balancer.
/// </summary>
internal sealed class SessionAuthenticator
{
    /// <summary>How long before the access token expires a request triggers a refresh.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SessionStore _store;
    private readonly ProviderEndpoints _provider;
    private readonly ITokenValidator _tokens;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SessionAuthenticator(SessionStore store, ProviderEndpoints provider, ITokenValidator tokens, ILogger logger, TimeProvider time)
    {
        _store = store;
        _provider = provider;
        _tokens = tokens;
        _logger = logger;
        _time = time;
    }

    /// <summary>Returns the request's session, refreshed when due, or null when there is no usable session.</summary>
    public async Task<SessionTicket?> AuthenticateAsync(HttpContext context, DecisionRecord record)
    {
        var ticket = _store.ReadSession(context);
        if (ticket is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (now < ticket.AccessTokenExpiresAt - RefreshMargin)
        {
            return ticket;
        }

        var refreshed = ticket.RefreshToken is null ? null : await RefreshAsync(context, ticket, record.RequestId);
        if (refreshed is not null)
        {
            _store.WriteSession(context, refreshed);
            return refreshed;
        }

        // Without a new access token the session lasts as long as the one it has.
        return now < ticket.AccessTokenExpiresAt ? ticket : null;
    }

    private async Task<SessionTicket?> RefreshAsync(HttpContext context, SessionTicket ticket, string requestId)
    {
        // NOTE: concurrent requests of one browser may each refresh; a provider that rotates refresh tokens
        // strictly can then reject all but the first, and those requests keep the current access token.
        string? problem;
        try
        {
            var (tokens, error) = await _provider.RefreshAsync(ticket.RefreshToken!, context.RequestAborted);
            problem = error;
            if (tokens is not null)
            {
                var check = await _tokens.ValidateAsync(tokens.AccessToken, context.RequestAborted);
                if (check.IsValid && check.Subject == ticket.Subject)
                {
                    EdgeLog.SessionRefreshed(_logger, requestId, ticket.Subject);
                    return ticket with
                    {
                        Groups = check.Groups,
                        AccessToken = tokens.AccessToken,
                        RefreshToken = tokens.RefreshToken ?? ticket.RefreshToken,
                        AccessTokenExpiresAt = check.ExpiresAt,
                    };
                }

                problem = check.IsValid ? "refreshed token names another subject" : $"refreshed access token rejected: {check.Reason}";
            }
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            problem = exception.Message;
        }

        EdgeLog.SessionRefreshFailed(_logger, requestId, ticket.Subject, problem ?? "unknown error");
        return null;
    }
}
