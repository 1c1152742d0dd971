using System.Diagnostics;
using Gatehouse.Telemetry.Tracing;

namespace Gatehouse.Telemetry.Tests.Tracing;

public sealed class RequestSpanTests
{
    private static readonly TraceParent Parent = new(
        ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"),
        ActivitySpanId.CreateFromString("00f067aa0ba902b7"),
        ActivityTraceFlags.Recorded);

    [Fact]
    public void Start_NoListenerWithParent_ContinuesTraceWithNewSpan()
    {
        using var source = new ActivitySource("Gatehouse.Tests.NoListener." + Guid.NewGuid().ToString("N"));

        var span = RequestSpan.Start(source, "request", Parent, "vendor=abc");

        Assert.Null(span.Activity);
        Assert.Equal(Parent.TraceId, span.TraceId);
        Assert.NotEqual(Parent.SpanId, span.SpanId);
        Assert.Equal("vendor=abc", span.TraceState);
        Assert.Equal(span.SpanId, span.Outgoing.SpanId);
    }

    [Fact]
    public void Start_NoListenerNoParent_NewSampledTrace()
    {
        using var source = new ActivitySource("Gatehouse.Tests.NoListener." + Guid.NewGuid().ToString("N"));

        var span = RequestSpan.Start(source, "request", parent: null, traceState: null);

        Assert.NotEqual(Parent.TraceId, span.TraceId);
        Assert.Matches("^[0-9a-f]{32}$", span.TraceId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, span.Flags);
    }

    [Fact]
    public void Start_WithListener_ServerActivityUnderParent()
    {
        using var source = new ActivitySource("Gatehouse.Tests.Listener." + Guid.NewGuid().ToString("N"));
        var stopped = new List<Activity>();
        using var listener = Listen(source, stopped);
        using var ambient = new Activity("ambient").Start();

        var span = RequestSpan.Start(source, "request", Parent, "vendor=abc");

        var activity = Assert.IsType<Activity>(span.Activity);
        Assert.Equal(ActivityKind.Server, activity.Kind);
        Assert.Equal(Parent.TraceId, activity.TraceId);
        Assert.Equal(Parent.SpanId, activity.ParentSpanId);
        Assert.Null(activity.Parent);
        Assert.Equal("vendor=abc", activity.TraceStateString);
        Assert.Equal(activity.SpanId, span.SpanId);
        activity.Stop();
    }

    [Fact]
    public void StartChild_UnderRequestSpan_SharesTrace()
    {
        using var source = new ActivitySource("Gatehouse.Tests.Listener." + Guid.NewGuid().ToString("N"));
        var stopped = new List<Activity>();
        using var listener = Listen(source, stopped);
        var span = RequestSpan.Start(source, "request", Parent, traceState: null);

        using var child = RequestSpan.StartChild(
            source, "forward", ActivityKind.Client, span.TraceId.ToHexString(), span.SpanId.ToHexString());

        Assert.NotNull(child);
        Assert.Equal(span.TraceId, child.TraceId);
        Assert.Equal(span.SpanId, child.ParentSpanId);
        Assert.Equal(child.SpanId, RequestSpan.OutgoingFor(child).SpanId);
    }

    [Fact]
    public void StartChild_NoListener_ReturnsNull()
    {
        using var source = new ActivitySource("Gatehouse.Tests.NoListener." + Guid.NewGuid().ToString("N"));

        Assert.Null(RequestSpan.StartChild(source, "forward", ActivityKind.Client, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));
    }

    private static ActivityListener Listen(ActivitySource source, List<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
