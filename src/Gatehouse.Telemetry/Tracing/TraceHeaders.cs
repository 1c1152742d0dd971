using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>Reads and replaces the W3C Trace Context headers of a request.</summary>
public static class TraceHeaders
{
    /// <summary>
    /// Reads the request's parent context. Returns null, with a null <paramref name="traceState"/>, when
    /// <c>traceparent</c> is missing, repeated or invalid, because W3C Trace Context discards
    /// <c>tracestate</c> whenever <c>traceparent</c> cannot be used.
    /// </summary>
    public static TraceParent? Read(IHeaderDictionary headers, out string? traceState)
    {
        traceState = null;
        var values = headers[HeaderNames.TraceParent];
        if (values.Count != 1 || !TraceParent.TryParse(values[0], out var parent))
        {
            return null;
        }

        traceState = TraceState.Sanitize(headers[HeaderNames.TraceState]);
        return parent;
    }

    /// <summary>
    /// Replaces the request's <c>traceparent</c> with <paramref name="parent"/> and its <c>tracestate</c>
    /// with <paramref name="traceState"/> (removed when null), so every later hop reads this tier's span.
    /// </summary>
    public static void Write(IHeaderDictionary headers, TraceParent parent, string? traceState)
    {
        headers[HeaderNames.TraceParent] = parent.ToString();
        if (traceState is null)
        {
            headers.Remove(HeaderNames.TraceState);
        }
        else
        {
            headers[HeaderNames.TraceState] = traceState;
        }
    }
}
