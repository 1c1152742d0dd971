using Gatehouse.Edge.Tests.Support;
using Gatehouse.Telemetry.Tests.Tracing;

namespace Gatehouse.Edge.Tests.Tracing;

// Each test starts a real edge on Kestrel in front of an echo origin that replaces the balancer.
public sealed class EdgeTracingTests
{
    private const string Routes = """
        [[routes]]
        prefix = "/api/public/"
        kind = "public"

        """;

    private const string ClientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task Edge_ValidTraceparent_RecordAndBalancerShareTrace()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.Address, "/api/public/x"));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);
        var echoed = EchoedRequest.Parse(await response.Content.ReadAsStringAsync());

        var record = Assert.Single(edge.Decisions.Records);
        Assert.Equal(ClientTraceId, record.TraceId);
        Assert.NotNull(record.SpanId);
        var balancerSaw = Assert.Single(echoed.Values("traceparent"));
        Assert.StartsWith($"00-{ClientTraceId}-", balancerSaw, StringComparison.Ordinal);
        Assert.DoesNotContain("00f067aa0ba902b7", balancerSaw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edge_RejectedRequest_RecordHasTrace()
    {
        await using var edge = await EdgeUnderTest.StartAsync(Routes);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(edge.Address, "/no-route"));

        var record = Assert.Single(edge.Decisions.Records);
        Assert.Equal(404, record.Status);
        Assert.Matches("^[0-9a-f]{32}$", record.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", record.SpanId);
    }

    [Fact]
    public async Task Edge_OtlpConfigured_ExportsRequestAndForwardSpans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var edge = await EdgeUnderTest.StartAsync(Routes + $"[telemetry]\notlp_endpoint = \"{receiver.Address}\"\nservice_name = \"edge-under-test\"\n");
        string balancerSaw;
        try
        {
            using var client = new HttpClient();
            using var response = await client.GetAsync(new Uri(edge.Address, "/api/public/otlp"));
            balancerSaw = Assert.Single(EchoedRequest.Parse(await response.Content.ReadAsStringAsync()).Values("traceparent"));
        }
        finally
        {
            // Stopping the edge sends the spans still queued in the batch processor.
            await edge.DisposeAsync();
        }

        var record = Assert.Single(edge.Decisions.Records);
        var post = await receiver.WaitForAsync("/v1/traces", Convert.FromHexString(record.TraceId!));
        Assert.Equal("application/x-protobuf", post.ContentType);
        Assert.True(post.Body.AsSpan().IndexOf("edge-under-test"u8) >= 0, "service.name missing");
        // The batch processor may split the spans of one request over several POSTs.
        Assert.True(receiver.AnyContains(Convert.FromHexString(record.SpanId!)), "request span missing");

        // With a listener, the balancer's parent is the forward span, a child of the request span.
        var forwardSpanId = balancerSaw.Split('-')[2];
        Assert.NotEqual(record.SpanId, forwardSpanId);
        Assert.True(receiver.AnyContains(Convert.FromHexString(forwardSpanId)), "forward span missing");
    }
}
