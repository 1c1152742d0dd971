using System.Text;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.StickTables;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Tracing;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Handles one request: request id, edge assertion, http-request rules, backend switching, server
/// selection, forwarding and the decision record.
/// </summary>
internal sealed partial class RequestPipeline
{
    public const string FrontendItemKey = "gatehouse.frontend";

    private readonly ServerForwarder _forwarder;
    private readonly IDecisionSink _decisions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile RoutingState _state;
    private readonly Logging.AccessLog _accessLog;

    public RequestPipeline(RoutingState state, ServerForwarder forwarder, IDecisionSink decisions, TimeProvider time, ILogger logger)
    {
        _state = state;
        _forwarder = forwarder;
        _decisions = decisions;
        _time = time;
        _logger = logger;
        _accessLog = new Logging.AccessLog(logger);
    }

    public RoutingState State => _state;

    /// <summary>Sends the access log lines still queued and closes the log sockets.</summary>
    public ValueTask DisposeAccessLogAsync() => _accessLog.CloseAsync();

    /// <summary>Makes <paramref name="next"/> the state for new requests and returns the previous one. Requests already running keep the state they read.</summary>
    public RoutingState Swap(RoutingState next) => Interlocked.Exchange(ref _state, next);

    public async Task HandleAsync(HttpContext http)
    {
        var started = _time.GetTimestamp();
        var arrived = DateTimeOffset.UtcNow;
        RequestSpan trace = default;
        // One read per request, so a reload mid-request does not change the configuration this request uses.
        var state = _state;
        var frontend = state.Frontends[(string)http.Features.Get<IConnectionItemsFeature>()!.Items[FrontendItemKey]!];
        var sample = new SampleContext(http, http.Features.Get<IHttpRequestFeature>()!.RawTarget)
        {
            FrontendAfterRules = frontend.Config.AfterResponseRules,
        };
        if (frontend.Config.RequestCaptures.Count + frontend.Config.ResponseCaptures.Count > 0)
        {
            sample.Captures = new HeaderCaptures(frontend.Config.RequestCaptures, frontend.Config.ResponseCaptures);
            sample.Captures.CaptureRequest(http.Request.Headers);
        }
        var outcome = new RequestOutcome();
        var logRecord = Logging.AccessLogRecords.Start(http, frontend.Name, sample.Http.Features.Get<IHttpRequestFeature>()!.RawTarget, _time.GetUtcNow(), outcome);
        var logStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        frontend.Counters.Enter();
        var stick = state.HasStickTables ? StartStickState(state, frontend, http) : null;

        // 1. Request id: the client's X-Request-Id, replaced below by the id in a verified edge assertion.
        var requestId = RequestIds.FromRequest(http.Request);

        try
        {
            // 2. Body framing that another parser could read differently is refused before anything reads it.
            if (await RequestFraming.CheckAsync(http) is { } framing)
            {
                http.Request.Headers.Remove(EdgeAssertion.HeaderName);
                trace = BeginTrace(http, sample, outcome, arrived, OwnsTraceHeaders(frontend));
                BalancerLog.FramingRejected(_logger, requestId, frontend.Name, framing.Reason);
                RequestFraming.CloseAfterResponse(http);
                await WriteResponseAsync(http, sample, requestId, new RuleResponse(framing.Status, "text/plain", framing.Reason, null, "deny", framing.Reason));
                return;
            }

            // 3. Edge assertion: verify it, then strip it in every case so the token never reaches the server.
            var rejection = await CheckAssertionAsync(frontend, http, sample, outcome);
            http.Request.Headers.Remove(EdgeAssertion.HeaderName);
            requestId = sample.Assertion?.RequestId ?? requestId;
            http.Request.Headers[RequestIds.HeaderName] = requestId;
            trace = BeginTrace(http, sample, outcome, arrived, OwnsTraceHeaders(frontend));
            if (rejection is not null)
            {
                BalancerLog.AssertionRejected(_logger, requestId, frontend.Name, rejection);
                await WriteResponseAsync(http, sample, requestId, new RuleResponse(403, "text/plain", rejection, null, "deny", rejection));
            }
            else
            {
                await RouteAsync(state, frontend, http, sample, requestId, outcome);
            }
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request; record it and let Kestrel drop the connection.
            outcome.Reason ??= "client aborted";
        }
        finally
        {
            // Every request gets its record, including ones cut short by the client or an exception.
            WriteDecision(http, sample, requestId, outcome, started, trace.Activity);
            Logging.AccessLogRecords.Finish(logRecord, http, state, frontend, outcome, requestId, logStarted);
            frontend.Counters.Leave(http.Response.StatusCode);
            CountBackend(state, outcome, http.Response.StatusCode);
            Stats.RequestAccounting.Count(state, frontend, outcome, logRecord);
            _accessLog.Write(state.Config, frontend.Config, sample, logRecord);
            if (stick?.Counters is { } counters)
            {
                // NOTE: HAProxy counts header bytes too; only the declared body lengths are known here.
                counters.CountBytes(http.Request.ContentLength ?? 0, http.Response.ContentLength ?? 0);
                counters.Release();
            }
        }
    }

    private static StickRequestState StartStickState(RoutingState state, FrontendRuntime frontend, HttpContext http)
    {
        var table = frontend.Config.StickTable is { } definition ? state.StickTables.Find(definition.Name) : null;
        var stick = new StickRequestState(state.StickTables, table);
        http.Features.Set(stick);
        if (http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ConnectionGate.CountersItemKey, out var tracked) == true
            && tracked is StickCounters connectionCounters)
        {
            stick.GetOrCreateCounters().Inherit(connectionCounters);
        }

        return stick;
    }

    private async Task RouteAsync(RoutingState state, FrontendRuntime frontend, HttpContext http, SampleContext sample, string requestId, RequestOutcome outcome)
    {
        // In mode http, `tcp-request content` rules run once per request, before any HTTP rule.
        if (frontend.Config.TcpContentRules.Count > 0 && TcpRequestRule.Run(frontend.Config.TcpContentRules, sample) is { } rejectedBy)
        {
            RejectContent(frontend, http, requestId, outcome, rejectedBy);
            return;
        }

        // 3. monitor-uri, checked before any http-request rule so that no rule can block the health probe.
        if (frontend.Config.Settings.MonitorUri is { } monitorUri && sample.Path == monitorUri)
        {
            outcome.Decision = "static";
            outcome.Reason = "monitor-uri";
            await WriteResponseAsync(http, sample, requestId, ErrorPages.For(200, "static", "monitor-uri"));
            return;
        }

        // Then the frontend http-request rules.
        if (RunRules(frontend.Config.RequestRules, frontend.Config.RedirectRules, sample, outcome) is { } frontendResponse)
        {
            await WriteResponseAsync(http, sample, requestId, Stats.PrometheusServiceRule.Resolve(frontendResponse, state));
            return;
        }

        // The stats page, which HAProxy serves once the frontend's http-request rules have run.
        if (frontend.Config.Settings.Stats is { } stats && Stats.StatsEndpoint.Matches(stats, sample.Target))
        {
            outcome.Decision = "static";
            outcome.Reason = "stats";
            await WriteResponseAsync(http, sample, requestId, await Stats.StatsEndpoint.RespondAsync(stats, http.Request, sample.Target, state, sample));
            return;
        }

        // 4. use_backend, then default_backend.
        var backend = SelectBackend(state, frontend, sample, requestId, outcome);
        if (backend is null)
        {
            outcome.Decision = "deny";
            outcome.Reason = "no backend matched and no default_backend is set";
            await WriteResponseAsync(http, sample, requestId, ErrorPages.For(503, "deny", outcome.Reason, frontend.Config.Settings));
            return;
        }

        outcome.Backend = backend.Name;
        sample.BackendAfterRules = backend.Config.AfterResponseRules;
        if (StickRequestState.From(http) is { } stick)
        {
            stick.CurrentTable = backend.Config.StickTable is { } definition ? state.StickTables.Find(definition.Name) : null;
        }

        // 5. Backend http-request rules.
        if (RunRules(backend.Config.RequestRules, backend.Config.RedirectRules, sample, outcome) is { } backendResponse)
        {
            await WriteResponseAsync(http, sample, requestId, Stats.PrometheusServiceRule.Resolve(backendResponse, state));
            return;
        }

        // 6. Server selection and forwarding.
        outcome.Decision = "forward";
        await _forwarder.ForwardAsync(frontend, backend, http, sample, requestId, outcome);
        if (outcome.Server is not null)
        {
            StickRequestState.From(http)?.Counters?.CountStatus(http.Response.StatusCode);
        }
    }

    private void RejectContent(FrontendRuntime frontend, HttpContext http, string requestId, RequestOutcome outcome, TcpRequestRule rule)
    {
        outcome.Decision = "deny";
        outcome.Rule = rule.Name;
        outcome.Reason = "connection closed by a tcp-request content rule";
        StickRequestState.From(http)?.Counters?.CountDenied();
        BalancerLog.ContentRejected(_logger, requestId, frontend.Name, rule.Name);
        http.Abort();
    }

    private async Task<string?> CheckAssertionAsync(FrontendRuntime frontend, HttpContext http, SampleContext sample, RequestOutcome outcome)
    {
        if (frontend.Verifier is not { } verifier || frontend.Config.EdgeAssertion is not { } setting)
        {
            return null;
        }

        string? failure;
        var token = http.Request.Headers[EdgeAssertion.HeaderName].ToString();
        if (token.Length == 0)
        {
            failure = "missing edge assertion";
        }
        else
        {
            var check = await verifier.VerifyAsync(token, http.RequestAborted);
            sample.Assertion = check.Assertion;
            failure = check.IsValid ? null : check.FailureReason ?? "invalid edge assertion";
        }

        if (failure is null)
        {
            return null;
        }

        if (!setting.Required)
        {
            BalancerLog.OptionalAssertionIgnored(_logger, RequestIds.FromRequest(http.Request), failure);
            return null;
        }

        outcome.Decision = "deny";
        outcome.Rule = $"{setting.Location} edge-assertion";
        outcome.Reason = $"edge assertion required: {failure}";
        return outcome.Reason;
    }

    /// <summary>Runs http-request rules, then the proxy-level redirects, which an `allow` does not skip.</summary>
    private static RuleResponse? RunRules(List<HttpRequestRule> rules, List<HttpRequestRule> redirects, SampleContext sample, RequestOutcome outcome) =>
        RunRules(rules, sample, outcome) ?? RunRules(redirects, sample, outcome);

    private static RuleResponse? RunRules(List<HttpRequestRule> rules, SampleContext sample, RequestOutcome outcome)
    {
        foreach (var rule in rules)
        {
            if (!rule.Applies(sample))
            {
                continue;
            }

            switch (rule.Execute(sample, out var response))
            {
                case RuleOutcome.Allow:
                    outcome.Rule = rule.Name;
                    return null;
                case RuleOutcome.Respond:
                    if (response!.Decision == "deny")
                    {
                        StickRequestState.From(sample.Http)?.Counters?.CountDenied();
                    }

                    outcome.Rule = rule.Name;
                    outcome.Decision = response!.Decision;
                    outcome.Reason = response.Reason;
                    return response;
            }
        }

        return null;
    }

    private BackendPool? SelectBackend(RoutingState state, FrontendRuntime frontend, SampleContext sample, string requestId, RequestOutcome outcome)
    {
        foreach (var rule in frontend.Config.SwitchRules.Append(frontend.Config.DefaultBackend))
        {
            if (rule is null || !(rule.Condition?.Evaluate(sample) ?? true))
            {
                continue;
            }

            var name = rule.Name ?? rule.DynamicName!.Render(sample);
            if (state.Backends.TryGetValue(name, out var backend))
            {
                outcome.Rule = rule.RuleName;
                return backend;
            }

            // NOTE: a dynamic name that matches no backend falls through to the next rule and then default_backend.
            BalancerLog.DynamicBackendMissing(_logger, requestId, rule.RuleName, name);
        }

        return null;
    }

    private void WriteDecision(HttpContext http, SampleContext sample, string requestId, RequestOutcome outcome, long started, System.Diagnostics.Activity? span)
    {
        var record = new DecisionRecord
        {
            Time = _time.GetUtcNow(),
            Tier = "balancer",
            RequestId = requestId,
            TraceId = outcome.TraceId,
            SpanId = outcome.SpanId,
            Client = sample.Source is { } source ? SourceFetch.Format(source) : null,
            Method = http.Request.Method,
            Path = sample.Path,
            Subject = sample.Assertion?.Subject,
            Groups = sample.Assertion?.Groups,
            Decision = outcome.Decision,
            Rule = outcome.Rule,
            Reason = outcome.Reason,
            Backend = outcome.Backend,
            Server = outcome.Server,
            Status = http.Response.StatusCode,
            Termination = Logging.AccessLogRecords.Termination(http, outcome),
            DurationMs = _time.GetElapsedTime(started).TotalMilliseconds,
        };
        _decisions.Write(record);
        SpanTags.Finish(span, record);
    }
}
