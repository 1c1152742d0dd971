using System.Diagnostics;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>
/// One tier's server span for one request: the ids that go into the decision record and the
/// <c>traceparent</c> sent to the next hop, and the <see cref="System.Diagnostics.Activity"/> when a
/// listener records it.
/// </summary>
public readonly struct RequestSpan
{
    private RequestSpan(ActivityTraceId traceId, ActivitySpanId spanId, ActivityTraceFlags flags, string? traceState, Activity? activity)
    {
        TraceId = traceId;
        SpanId = spanId;
        Flags = flags;
        TraceState = traceState;
        Activity = activity;
    }

    public ActivityTraceId TraceId { get; }

    public ActivitySpanId SpanId { get; }

    public ActivityTraceFlags Flags { get; }

    /// <summary>The checked <c>tracestate</c> passed on unchanged, or null.</summary>
    public string? TraceState { get; }

    /// <summary>The recorded span, or null when no listener samples it.</summary>
    public Activity? Activity { get; }

    /// <summary>The value this tier sends as <c>traceparent</c> when no child span is recorded.</summary>
    public TraceParent Outgoing => new(TraceId, SpanId, Flags);

    /// <summary>
    /// Starts the span as a child of <paramref name="parent"/>, or as the root of a new trace when it is null.
    /// Without a listener on <paramref name="source"/> only the ids are created. A new trace without a
    /// listener is marked sampled, so a later tier that exports spans records it.
    /// </summary>
    public static RequestSpan Start(
        ActivitySource source, string name, TraceParent? parent, string? traceState, DateTimeOffset startTime = default)
    {
        if (!source.HasListeners())
        {
            return new RequestSpan(
                parent?.TraceId ?? ActivityTraceId.CreateRandom(),
                ActivitySpanId.CreateRandom(),
                parent?.Flags ?? ActivityTraceFlags.Recorded,
                traceState,
                activity: null);
        }

        // Clear the ambient activity (ASP.NET Core's own, which trusts any parseable traceparent), so the
        // parent is exactly the one this tier accepted. This method is synchronous, so the caller keeps the change.
        Activity.Current = null;
        var context = parent is { } p ? new ActivityContext(p.TraceId, p.SpanId, p.Flags, traceState, isRemote: true) : default;
        var activity = source.StartActivity(name, ActivityKind.Server, context, startTime: startTime);
        if (activity is not null)
        {
            activity.TraceStateString = traceState;
            return new RequestSpan(activity.TraceId, activity.SpanId, activity.ActivityTraceFlags, traceState, activity);
        }

        return new RequestSpan(
            parent?.TraceId ?? ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, traceState, null);
    }

    /// <summary>
    /// Starts a child span of the request whose record carries <paramref name="traceId"/> and
    /// <paramref name="spanId"/>; returns null when nothing listens or the sampler drops it.
    /// </summary>
    public static Activity? StartChild(ActivitySource source, string name, ActivityKind kind, string? traceId, string? spanId)
    {
        if (!source.HasListeners() || traceId is null || spanId is null)
        {
            return null;
        }

        if (Activity.Current is { } current && current.Source == source && current.TraceId.ToHexString() == traceId)
        {
            return source.StartActivity(name, kind);
        }

        // The request's own span was not recorded, so its children are not recorded either.
        var parent = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(spanId), ActivityTraceFlags.None, isRemote: false);
        return source.StartActivity(name, kind, parent);
    }

    /// <summary>Returns the <c>traceparent</c> that names <paramref name="child"/> as the next hop's parent.</summary>
    public static TraceParent OutgoingFor(Activity child) => new(child.TraceId, child.SpanId, child.ActivityTraceFlags);
}
