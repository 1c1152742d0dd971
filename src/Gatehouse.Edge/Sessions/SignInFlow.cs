using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Sessions;

/// <summary>
/// Browser sign-in: the redirect to the provider, the callback that turns a code into a session cookie,
/// and sign-out. Session cookies on later requests are read by <see cref="SessionAuthenticator"/>.
/// </summary>
internal sealed class SignInFlow
{
    /// <summary>How long a started sign-in may take before its correlation cookie expires.</summary>
    public static readonly TimeSpan CorrelationLifetime = TimeSpan.FromMinutes(10);

    private readonly SessionConfig _config;
    private readonly ProviderEndpoints _provider;
    private readonly SessionStore _store;
    private readonly ITokenValidator _tokens;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SignInFlow(SessionConfig config, ProviderEndpoints provider, SessionStore store, ITokenValidator tokens, ILogger logger, TimeProvider time)
    {
        _config = config;
        _provider = provider;
        _store = store;
        _tokens = tokens;
        _logger = logger;
        _time = time;
    }

    public bool IsEndpoint(PathString path) =>
        path.Equals(_config.CallbackPath, StringComparison.Ordinal) || path.Equals(_config.LogoutPath, StringComparison.Ordinal);

    /// <summary>
    /// Returns whether a request without credentials gets a redirect to sign in instead of 401: a GET or HEAD
    /// whose Accept header lists text/html, as a browser's navigation does. Other methods would lose their body.
    /// </summary>
    public static bool WantsRedirect(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.Any(value => value is not null && value.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>Redirects to the provider's authorization endpoint, remembering where to return in the correlation cookie.</summary>
    public async Task ChallengeAsync(HttpContext context, DecisionRecord record)
    {
        var correlation = new SignInCorrelation(
            Pkce.NewRandomValue(), Pkce.NewRandomValue(), Pkce.NewRandomValue(),
            ReturnUrls.Sanitize(context.Request.GetEncodedPathAndQuery()), _time.GetUtcNow() + CorrelationLifetime);
        string location;
        try
        {
            location = await _provider.BuildAuthorizationUrlAsync(RedirectUri(context.Request), correlation, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await FailAsync(context, record, EdgeFailure.SignInProviderUnavailable, "sign-in provider unavailable", exception.Message);
            return;
        }

        _store.WriteCorrelation(context, correlation);
        record.Decision = "redirect";
        record.Reason = "sign-in required";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(location);
    }

    /// <summary>Handles the callback and logout paths.</summary>
    public Task HandleEndpointAsync(HttpContext context, DecisionRecord record)
    {
        if (context.Request.Path.Equals(_config.LogoutPath, StringComparison.Ordinal))
        {
            record.Rule = "sign-out";
            record.Decision = "redirect";
            record.Reason = "signed out";
            _store.DeleteSession(context);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect("/");
            return Task.CompletedTask;
        }

        record.Rule = "sign-in callback";
        return HandleCallbackAsync(context, record);
    }

    private async Task HandleCallbackAsync(HttpContext context, DecisionRecord record)
    {
        // 1. The correlation cookie is single use, whatever the outcome.
        var correlation = _store.ReadCorrelation(context);
        _store.DeleteCorrelation(context);
        var query = context.Request.Query;
        if (!HttpMethods.IsGet(context.Request.Method) || correlation is null)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, "sign-in expired or not started here; open the page again");
            return;
        }

        if (query["error"].ToString() is { Length: > 0 } error)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, $"sign-in rejected by the provider: {Printable(error)}");
            return;
        }

        if (!Pkce.FixedTimeEquals(query["state"].ToString(), correlation.State) || query["code"].ToString() is not { Length: > 0 } code)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, "sign-in state does not match; open the page again");
            return;
        }

        // 2. Code for tokens, then both tokens checked before any session exists.
        try
        {
            var ticket = await RedeemAsync(context, code, correlation, record);
            if (ticket is null)
            {
                return;
            }

            _store.WriteSession(context, ticket);
            record.Subject = ticket.Subject;
            record.Groups = ticket.Groups.Count == 0 ? null : ticket.Groups;
            record.Decision = "redirect";
            record.Reason = "signed in";
            EdgeLog.SignedIn(_logger, record.RequestId, ticket.Subject);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect(ReturnUrls.Sanitize(correlation.ReturnUrl));
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested && exception is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException)
        {
            await FailAsync(context, record, EdgeFailure.SignInProviderUnavailable, "sign-in provider unavailable", exception.Message);
        }
    }

    private async Task<SessionTicket?> RedeemAsync(HttpContext context, string code, SignInCorrelation correlation, DecisionRecord record)
    {
        var (tokens, error) = await _provider.RedeemCodeAsync(code, RedirectUri(context.Request), correlation.CodeVerifier, context.RequestAborted);
        if (tokens is null)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, $"sign-in failed: {error}");
            return null;
        }

        var idTokenProblem = tokens.IdToken is null
            ? "the provider returned no ID token"
            : await _provider.ValidateIdTokenAsync(tokens.IdToken, correlation.Nonce, context.RequestAborted);
        if (idTokenProblem is not null)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, $"sign-in failed: {idTokenProblem}");
            return null;
        }

        var check = await _tokens.ValidateAsync(tokens.AccessToken, context.RequestAborted);
        if (!check.IsValid || check.Subject is null)
        {
            await FailAsync(context, record, EdgeFailure.SignInRejected, $"sign-in failed: access token rejected: {(check.IsValid ? "no subject" : check.Reason)}");
            return null;
        }

        return new SessionTicket(
            check.Subject, check.Groups, tokens.AccessToken, tokens.RefreshToken, check.ExpiresAt, _time.GetUtcNow() + _config.Lifetime);
    }

    /// <summary>Returns the callback URL on the origin the browser used, from the request's scheme and Host.</summary>
    private string RedirectUri(HttpRequest request) => $"{request.Scheme}://{request.Host.ToUriComponent()}{_config.CallbackPath}";

    private async Task FailAsync(HttpContext context, DecisionRecord record, EdgeFailure failure, string reason, string? error = null)
    {
        record.Decision = failure == EdgeFailure.SignInProviderUnavailable ? "error" : "deny";
        record.Reason = reason;
        if (error is null)
        {
            EdgeLog.SignInFailed(_logger, record.RequestId, reason);
        }
        else
        {
            EdgeLog.SignInProviderUnavailable(_logger, record.RequestId, error);
        }

        context.Response.StatusCode = failure.StatusCode();
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    private static string Printable(string value)
    {
        var kept = new string(value.Where(c => c is >= ' ' and <= '~').Take(64).ToArray());
        return kept.Length == 0 ? "unknown error" : kept;
    }
}
