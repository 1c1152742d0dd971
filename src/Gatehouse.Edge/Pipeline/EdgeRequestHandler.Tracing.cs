using System.Diagnostics;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// W3C Trace Context at the edge: a valid client <c>traceparent</c> is continued, anything else starts a
/// new trace, and the balancer always receives the edge's own span id.
/// </summary>
internal sealed partial class EdgeRequestHandler
{
    /// <summary>Name of the edge's server span; its display name becomes the HTTP method.</summary>
    public const string RequestSpanName = "edge request";

    /// <summary>Starts the request's span from the client's trace headers and puts its ids in the record.</summary>
    private static RequestSpan BeginTrace(HttpContext context, DecisionRecord record)
    {
        var parent = TraceHeaders.Read(context.Request.Headers, out var traceState);
        var span = RequestSpan.Start(TierSources.Edge, RequestSpanName, parent, traceState);
        record.TraceId = span.TraceId.ToHexString();
        record.SpanId = span.SpanId.ToHexString();

        // Replace what the client sent now, so no later step or guest can read an invalid value.
        WriteTraceHeaders(context, span);
        return span;
    }

    /// <summary>Sets the trace headers the balancer and guests receive; runs again after the header policy.</summary>
    private static void WriteTraceHeaders(HttpContext context, RequestSpan span) =>
        TraceHeaders.Write(context.Request.Headers, span.Outgoing, span.TraceState);

    /// <summary>Starts a phase span under the request's span; null when nothing records it.</summary>
    private static Activity? StartPhase(DecisionRecord record, string name, ActivityKind kind = ActivityKind.Internal) =>
        RequestSpan.StartChild(TierSources.Edge, name, kind, record.TraceId, record.SpanId);

    /// <summary>Starts the forward span and names it as the balancer's parent.</summary>
    private static Activity? StartForwardPhase(HttpContext context, DecisionRecord record)
    {
        var span = StartPhase(record, "forward", ActivityKind.Client);
        if (span is not null)
        {
            context.Request.Headers[HeaderNames.TraceParent] = RequestSpan.OutgoingFor(span).ToString();
        }

        return span;
    }

    /// <summary>Ends a phase span, marking it failed with <paramref name="error"/> when one is given.</summary>
    private static void EndPhase(Activity? span, string? error = null)
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
