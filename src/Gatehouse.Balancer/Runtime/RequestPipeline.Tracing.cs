using System.Diagnostics;
using Gatehouse.Balancer.Acls;
using Gatehouse.Telemetry.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// W3C Trace Context at the balancer. The incoming <c>traceparent</c> is continued only when the request
/// carries a verified edge assertion, because only then did it pass through the edge, which checked or
/// replaced it; any other request starts a new trace. The server receives the balancer's own span id.
/// </summary>
internal sealed partial class RequestPipeline
{
    /// <summary>Name of the balancer's server span; its display name becomes the HTTP method.</summary>
    public const string RequestSpanName = "balancer request";

    /// <summary>
    /// Starts the request's span once the edge assertion has been checked, dated from the request's arrival,
    /// and replaces the trace headers the server will receive.
    /// </summary>
    /// <param name="writeHeaders">
    /// False leaves the client's trace headers as they came, as HAProxy does; the span ids still go into the
    /// decision record.
    /// </param>
    internal static RequestSpan BeginTrace(HttpContext http, SampleContext sample, RequestOutcome outcome, DateTimeOffset arrived, bool writeHeaders)
    {
        TraceParent? parent = null;
        string? traceState = null;
        if (sample.Assertion is not null)
        {
            parent = TraceHeaders.Read(http.Request.Headers, out traceState);
        }

        var span = RequestSpan.Start(TierSources.Balancer, RequestSpanName, parent, traceState, arrived);
        outcome.TraceId = span.TraceId.ToHexString();
        outcome.SpanId = span.SpanId.ToHexString();
        if (writeHeaders)
        {
            TraceHeaders.Write(http.Request.Headers, span.Outgoing, span.TraceState);
        }

        return span;
    }

    /// <summary>
    /// Whether this frontend replaces the trace headers: when it checks edge assertions, whose trace it
    /// continues, or when spans are exported. A plain HAProxy-style frontend without export passes the
    /// client's headers through unchanged, so origins see what they would behind HAProxy.
    /// </summary>
    private static bool OwnsTraceHeaders(FrontendRuntime frontend) =>
        frontend.Config.EdgeAssertion is not null || TierSources.Balancer.HasListeners();

    /// <summary>Starts a phase span under the request's span; null when nothing records it.</summary>
    internal static Activity? StartPhase(RequestOutcome outcome, string name, ActivityKind kind = ActivityKind.Internal) =>
        RequestSpan.StartChild(TierSources.Balancer, name, kind, outcome.TraceId, outcome.SpanId);

    /// <summary>
    /// Starts the span of one forwarding attempt and names it as the server's parent; when nothing records
    /// it, the server's parent is the request's span.
    /// </summary>
    internal static Activity? StartForwardPhase(HttpContext http, RequestOutcome outcome, string server)
    {
        var span = StartPhase(outcome, "forward", ActivityKind.Client);
        if (span is not null)
        {
            span.SetTag("gatehouse.server", server);
            http.Request.Headers[HeaderNames.TraceParent] = RequestSpan.OutgoingFor(span).ToString();
        }

        return span;
    }

    /// <summary>Ends a phase span, marking it failed with <paramref name="error"/> when one is given.</summary>
    internal static void EndPhase(Activity? span, string? error = null)
    {
        if (span is null)
        {
            return;
        }

        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }

        span.Stop();
    }
}
