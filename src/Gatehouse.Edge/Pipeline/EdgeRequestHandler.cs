using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.Forwarding;
using Gatehouse.Edge.Guests;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.RateLimiting;
using Gatehouse.Edge.Sessions;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry;
using Gatehouse.Telemetry.Tracing;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Framing;
using Gatehouse.Trust.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Diagnostics;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// The per-request edge pipeline: request id, sanitization, routing, static assets or token check,
/// edge assertion, forwarding to the balancer or running a guest, and one decision record.
/// </summary>
internal sealed partial class EdgeRequestHandler
{
    private readonly EdgeConfig _config;
    private readonly IReadOnlyDictionary<EdgeRoute, StaticAssets> _staticAssets;
    private readonly ITokenValidator? _tokens;
    private readonly IEdgeAssertionIssuer _assertions;
    private readonly BalancerForwarder _forwarder;
    private readonly ExperimentStep _experiments;
    private readonly RateLimitStep _rateLimits;
    private readonly EdgeSessions? _sessions;
    private readonly GuestRoutes? _guests;
    private readonly IDecisionSink _decisions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Feedback.FeedbackEngine? _feedback;
    private readonly Telemetry.EdgeMetrics _metrics;

    public EdgeRequestHandler(
        EdgeConfig config,
        IReadOnlyDictionary<EdgeRoute, StaticAssets> staticAssets,
        ITokenValidator? tokens,
        IEdgeAssertionIssuer assertions,
        BalancerForwarder forwarder,
        ExperimentStep experiments,
        RateLimitStep rateLimits,
        EdgeSessions? sessions,
        GuestRoutes? guests,
        IDecisionSink decisions,
        ILogger logger,
        TimeProvider time,
        Feedback.FeedbackEngine? feedback = null,
        Telemetry.EdgeMetrics? metrics = null)
    {
        _config = config;
        _staticAssets = staticAssets;
        _tokens = tokens;
        _assertions = assertions;
        _forwarder = forwarder;
        _experiments = experiments;
        _rateLimits = rateLimits;
        _sessions = sessions;
        _guests = guests;
        _decisions = decisions;
        _logger = logger;
        _time = time;
        _feedback = feedback;
        _metrics = metrics ?? new Telemetry.EdgeMetrics(time);
    }

    public async Task HandleAsync(HttpContext context)
    {
        // 1. Request id and timer. Any id the client sent is discarded with the other spoofable headers.
        var started = _time.GetTimestamp();
        var requestId = RequestIds.Create();
        context.Response.Headers[EdgeHeaders.RequestId] = requestId;
        var record = new DecisionRecord
        {
            Time = _time.GetUtcNow(),
            Tier = "edge",
            RequestId = requestId,
            Client = context.Connection.RemoteIpAddress?.ToString(),
            Method = context.Request.Method,
            Path = context.Request.Path.Value,
            Decision = "deny",
        };
        var trace = BeginTrace(context, record);

        try
        {
            // 2. Sanitization happens before any policy reads the request.
            if (RejectMalformed(context) is { } malformed)
            {
                record.Rule = "request validation";
                await RejectAsync(context, record, malformed.Failure, malformed.Reason);
                return;
            }

            if (await RequestFraming.CheckAsync(context) is { } framing)
            {
                record.Rule = "request framing";
                EdgeLog.ClientBodyRejected(_logger, requestId, "request framing rejected", framing.Reason);
                RequestFraming.CloseAfterResponse(context);
                await RejectAsync(context, record, framing.Status == StatusCodes.Status413PayloadTooLarge ? EdgeFailure.BodyTooLarge : EdgeFailure.BadRequest, framing.Reason);
                return;
            }

            if (HeaderNormalization.Apply(context.Request.Headers, _config.Headers) is { } invalid)
            {
                record.Rule = "header normalization";
                await RejectAsync(context, record, EdgeFailure.BadRequest, invalid);
                return;
            }

            EdgeHeaders.RemoveSpoofable(context.Request.Headers);
            _sessions?.Store.Capture(context);
            EdgeHeaders.ApplyPolicy(context.Request.Headers, _config.Headers);
            WriteTraceHeaders(context, trace);

            // 3. Penalty box and rate counters keyed by what is known before authentication. Every decision
            // from here on reads the normalized routing path; the balancer still gets the raw target.
            var path = RoutingPath.For(context, _config.Paths);
            if (await RejectIfLimitedAsync(context, record, path, subject: null, subjectStage: false))
            {
                return;
            }

            if (_sessions is not null && _sessions.Flow.IsEndpoint(context.Request.Path))
            {
                await _sessions.Flow.HandleEndpointAsync(context, record);
                return;
            }

            // 4. Route by the normalized path; no route means the edge does not know the path.
            var route = Match(path);
            if (route is null)
            {
                record.Rule = "no route";
                await RejectAsync(context, record, EdgeFailure.NoRoute, "no route for this path");
                return;
            }

            record.Rule = route.RuleName;
            var lenient = PathSafety.LenientForm(context.Features.Get<IHttpRequestFeature>()?.RawTarget);
            if (lenient is not null && !ReferenceEquals(Match(lenient), route))
            {
                // An origin that decodes %2F or reads '\' as '/' would see another route's path.
                await RejectAsync(context, record, EdgeFailure.BadRequest, "ambiguous path: encoded separators change its route");
                return;
            }

            await (route.Kind switch
            {
                RouteKind.Static => ServeStaticAsync(context, route, record, path),
                RouteKind.Public => ForwardPublicAsync(context, record, path, route),
                RouteKind.Guest when !route.RequiresToken => RunGuestAsync(context, record, route, path, subject: null, groups: [], authentication: null),
                _ => AuthenticateAndForwardAsync(context, record, path, route),
            });
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            EdgeLog.Unexpected(_logger, exception, requestId);
            record.Decision = "error";
            record.Reason = "internal edge error";
            if (!context.Response.HasStarted)
            {
                await WriteTextAsync(context, StatusCodes.Status500InternalServerError, "internal edge error");
            }
        }
        finally
        {
            // 5. One decision record per request, whatever happened above.
            record.Status = context.Response.StatusCode;
            record.DurationMs = _time.GetElapsedTime(started).TotalMilliseconds;
            _decisions.Write(record);
            SpanTags.Finish(trace.Activity, record);
            _metrics.RecordDecision(record.Rule, record.Decision);
        }
    }

    private static (EdgeFailure Failure, string Reason)? RejectMalformed(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsTrace(method) || HttpMethods.IsConnect(method))
        {
            // TRACE echoes credentials back and CONNECT opens tunnels; neither belongs at a gateway.
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
            return (EdgeFailure.MethodNotAllowed, $"method {method} not allowed");
        }

        if (context.Request.Headers.Authorization.Count > 1)
        {
            return (EdgeFailure.BadRequest, "multiple Authorization headers");
        }

        if (EdgeHeaders.HasControlCharacters(context.Request.Headers))
        {
            return (EdgeFailure.BadRequest, "control character in a header value");
        }

        return null;
    }

    private EdgeRoute? Match(string value)
    {
        foreach (var route in _config.Routes)
        {
            if (value.StartsWith(route.Prefix, StringComparison.Ordinal)
                || (route.Prefix.EndsWith('/') && value == route.Prefix.TrimEnd('/')))
            {
                return route;
            }
        }

        return null;
    }

    private async Task<bool> RejectIfLimitedAsync(
        HttpContext context, DecisionRecord record, string path, string? subject, bool subjectStage)
    {
        if (_feedback?.Check(record.Client, subject, subjectStage) is { } penalized)
        {
            record.Decision = penalized.Decision;
            record.Rule = penalized.Rule.RuleName;
            record.Reason = penalized.Reason;
            CountLimitedKey(penalized.Rule.RuleName, subjectStage ? null : record.Client, subject);
            SetRetryAfter(context, penalized.RetryAfter);
            await RejectAsync(context, record, EdgeFailure.RateLimited, "too many requests");
            return true;
        }

        if (_rateLimits.Check(context, path, record.Client, subject, subjectStage) is not { } blocked)
        {
            return false;
        }

        var (rule, decision) = blocked;
        var overLimit = decision.CurrentRate > rule.LimitPerSecond;
        record.Decision = overLimit ? "limit" : "penalty";
        record.Rule = rule.RuleName;
        record.Reason = overLimit
            ? $"rate {decision.CurrentRate}/s over {rule.LimitPerSecond}/s in {rule.WindowSeconds}s window"
            : "in penalty box";
        CountLimitedKey(
            rule.RuleName,
            rule.Key == RateLimitKeyKind.ClientIp ? record.Client : null,
            rule.Key == RateLimitKeyKind.Subject ? subject : rule.HeaderName is { } header ? context.Request.Headers[header].FirstOrDefault() : null);
        SetRetryAfter(context, decision.RetryAfter);
        await RejectAsync(context, record, EdgeFailure.RateLimited, "too many requests");
        return true;
    }

    private async Task ForwardAsync(
        HttpContext context, DecisionRecord record, string path, string? subject, IReadOnlyList<string> groups, string? authentication)
    {
        record.Subject = subject;
        record.Reason = authentication;
        record.Groups = groups.Count == 0 ? null : groups;
        record.Decision = "forward";
        record.Backend = "balancer";
        record.Variant = _experiments.Assign(context, path, subject);

        var assertion = _assertions.Issue(new EdgeAssertion(
            record.RequestId, record.Client ?? string.Empty, subject, groups, record.Variant, Decision: "allow"));
        var forwardSpan = StartForwardPhase(context, record);
        var (failure, error) = await _forwarder.ForwardAsync(context, record.RequestId, assertion, record.Variant);
        EndPhase(forwardSpan, failure?.ToString());
        if (failure is null)
        {
            if (error is not null || context.RequestAborted.IsCancellationRequested)
            {
                record.Reason = "client aborted";
                EdgeLog.ClientAborted(_logger, record.RequestId);
            }

            return;
        }

        record.Decision = failure.Value is EdgeFailure.BadRequest or EdgeFailure.BodyTooLarge ? "deny" : "error";
        record.Reason = failure.Value switch
        {
            EdgeFailure.BalancerTimeout => "balancer timed out",
            EdgeFailure.BalancerUnreachable => "balancer unreachable",
            EdgeFailure.BodyTooLarge => "request body too large",
            EdgeFailure.BadRequest => "invalid request body",
            _ => "bad response from balancer",
        };
        if (failure.Value is EdgeFailure.BadRequest or EdgeFailure.BodyTooLarge)
        {
            EdgeLog.ClientBodyRejected(_logger, record.RequestId, record.Reason, error?.Message ?? "none");
        }
        else
        {
            EdgeLog.BalancerFailed(_logger, record.RequestId, failure.Value.ToString(), error?.Message ?? "none");
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.Headers[EdgeHeaders.RequestId] = record.RequestId;
            await WriteTextAsync(context, failure.Value.StatusCode(), record.Reason);
        }
    }

    /// <summary>Counts a rejected key for the edge panel: a client address as it is, any other key hashed.</summary>
    private void CountLimitedKey(string rule, string? client, string? secret)
    {
        if (client is not null)
        {
            _metrics.LimitedKeys.AddClient(rule, client);
        }
        else if (!string.IsNullOrEmpty(secret))
        {
            _metrics.LimitedKeys.AddSecret(rule, secret);
        }
    }

    /// <summary>Sets Retry-After to <paramref name="wait"/> in whole seconds, rounded up and at least 1.</summary>
    private static void SetRetryAfter(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task RejectAsync(HttpContext context, DecisionRecord record, EdgeFailure failure, string body)
    {
        record.Reason ??= body;
        return WriteTextAsync(context, failure.StatusCode(), body);
    }

    private static Task WriteTextAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body + "\n");
    }
}
