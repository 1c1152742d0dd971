using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Telemetry.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Pipeline;

/// <summary>Public routes for a client that a require_sign_in feedback rule has marked.</summary>
internal sealed partial class EdgeRequestHandler
{
    private Task ForwardPublicAsync(HttpContext context, DecisionRecord record, string path, EdgeRoute route)
    {
        return _feedback?.SignInRequiredBy(record.Client) is { } rule
            ? RequireSignInAsync(context, record, path, route, rule)
            : ForwardAsync(context, record, path, subject: null, groups: [], authentication: null);
    }

    /// <summary>
    /// Authenticates the request as on a protected route: a valid token or session is forwarded, anything else
    /// gets 401 or the browser sign-in redirect. The decision record names the feedback rule either way.
    /// </summary>
    private async Task RequireSignInAsync(HttpContext context, DecisionRecord record, string path, EdgeRoute route, FeedbackRule rule)
    {
        record.Rule = rule.RuleName;
        if (_tokens is null && EdgeHeaders.BearerToken(context.Request.Headers) is not null)
        {
            // Without token providers the edge cannot validate a bearer token, so it cannot accept one.
            record.Reason = "token not accepted: no token providers configured";
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"gatehouse\", error=\"invalid_token\"";
            await RejectAsync(context, record, EdgeFailure.InvalidCredentials, "token not accepted");
        }
        else
        {
            await AuthenticateAndForwardAsync(context, record, path, route);
        }

        // A subject-stage rate limit or penalty replaces the rule name with its own, which is the real cause.
        if (record.Decision is not ("forward" or "penalty" or "limit"))
        {
            record.Reason = $"sign-in required after {rule.Reason}: {record.Reason}";
        }
    }
}
