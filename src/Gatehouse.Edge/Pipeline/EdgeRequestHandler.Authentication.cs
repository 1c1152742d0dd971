using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Sessions;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Pipeline;

/// <summary>Authentication on protected routes: a bearer token, else a session cookie, else sign-in or 401.</summary>
internal sealed partial class EdgeRequestHandler
{
    /// <summary>Decision record reason of a request authenticated by its bearer token.</summary>
    public const string TokenAuthentication = "token";

    /// <summary>Decision record reason of a request authenticated by its session cookie.</summary>
    public const string SessionAuthentication = "session";

    private async Task AuthenticateAndForwardAsync(HttpContext context, DecisionRecord record, string path, EdgeRoute route)
    {
        var token = EdgeHeaders.BearerToken(context.Request.Headers);
        if (token is null)
        {
            await AuthenticateWithoutTokenAsync(context, record, path, route);
            return;
        }

        var validationStarted = _time.GetTimestamp();
        var authenticationSpan = StartPhase(record, "authentication");
        var check = token.Length > _config.Limits.MaxTokenBytes
            ? TokenCheck.Reject(TokenFailure.TooLarge)
            : await _tokens!.ValidateAsync(token, context.RequestAborted);
        EndPhase(authenticationSpan, check.IsValid ? null : check.Reason);
        _metrics.RecordTokenValidation(check.Failure, _time.GetElapsedTime(validationStarted));
        if (!check.IsValid)
        {
            record.Reason = check.Detail is null ? check.Reason : $"{check.Reason}: {check.Detail}";
            context.Response.Headers[HeaderNames.WWWAuthenticate] =
                $"Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"{check.Reason}\"";
            await RejectAsync(context, record, EdgeFailure.InvalidCredentials, check.Reason);
            return;
        }

        await LimitAndForwardAsync(context, record, path, route, check.Subject, check.Groups, TokenAuthentication);
    }

    private async Task AuthenticateWithoutTokenAsync(HttpContext context, DecisionRecord record, string path, EdgeRoute route)
    {
        if (_sessions is not null)
        {
            var authenticationSpan = StartPhase(record, "authentication");
            var session = await _sessions.Authenticator.AuthenticateAsync(context, record);
            EndPhase(authenticationSpan);
            if (session is not null)
            {
                await LimitAndForwardAsync(context, record, path, route, session.Subject, session.Groups, SessionAuthentication);
                return;
            }

            if (_sessions.Store.HasSessionCookie(context))
            {
                // A cookie that no longer decrypts or has expired is cleared, so the browser stops sending it.
                _sessions.Store.DeleteSession(context);
            }

            if (SignInFlow.WantsRedirect(context.Request))
            {
                await _sessions.Flow.ChallengeAsync(context, record);
                return;
            }
        }

        record.Reason = "missing token";
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"gatehouse\"";
        await RejectAsync(context, record, EdgeFailure.MissingCredentials, "missing token");
    }

    private async Task LimitAndForwardAsync(
        HttpContext context, DecisionRecord record, string path, EdgeRoute route, string? subject, IReadOnlyList<string> groups, string authentication)
    {
        if (await RejectIfLimitedAsync(context, record, path, subject, subjectStage: true))
        {
            record.Subject = subject;
            return;
        }

        await (route.Kind == RouteKind.Guest
            ? RunGuestAsync(context, record, route, path, subject, groups, authentication)
            : ForwardAsync(context, record, path, subject, groups, authentication));
    }
}
