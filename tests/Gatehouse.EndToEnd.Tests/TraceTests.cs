using System.Net;
using System.Text.Json;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>W3C Trace Context from the client through the edge and the balancer to the origin.</summary>
public sealed class TraceTests : IClassFixture<StackFixture>
{
    private const string ClientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ClientSpanId = "00f067aa0ba902b7";

    private readonly StackFixture _stack;

    public TraceTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task Traceparent_Valid_ContinuedToOrigin()
    {
        using var response = await _stack.GetAsync("/api/public/trace", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
            request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await StackFixture.EchoAsync(response);
        var originSaw = Assert.Single(Header(echo, "traceparent"));
        var parts = originSaw.Split('-');
        Assert.Equal("00", parts[0]);
        Assert.Equal(ClientTraceId, parts[1]);
        Assert.NotEqual(ClientSpanId, parts[2]);
        Assert.Equal("01", parts[3]);
        Assert.Equal(["vendor=abc"], Header(echo, "tracestate"));
    }

    [Fact]
    public async Task Traceparent_Valid_SameTraceIdInBothRecords()
    {
        using var response = await _stack.GetAsync("/api/public/trace-records", configure: request =>
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01"));
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var edge = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);
        var balancer = await StackFixture.WaitForRecordAsync(_stack.Stack.BalancerDecisions.FilePath!, requestId);
        var originSaw = Assert.Single(Header(await StackFixture.EchoAsync(response), "traceparent"));

        Assert.Equal(ClientTraceId, edge.GetProperty("trace_id").GetString());
        Assert.Equal(ClientTraceId, balancer.GetProperty("trace_id").GetString());
        var edgeSpan = edge.GetProperty("span_id").GetString();
        var balancerSpan = balancer.GetProperty("span_id").GetString();
        Assert.Matches("^[0-9a-f]{16}$", edgeSpan);
        Assert.Matches("^[0-9a-f]{16}$", balancerSpan);
        Assert.NotEqual(edgeSpan, balancerSpan);
        Assert.NotEqual(ClientSpanId, edgeSpan);
        Assert.NotEqual(edgeSpan, originSaw.Split('-')[2]);
    }

    [Fact]
    public async Task Traceparent_Missing_NewTraceStarted()
    {
        using var response = await _stack.GetAsync("/api/public/trace-new");
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var originSaw = Assert.Single(Header(await StackFixture.EchoAsync(response), "traceparent"));

        var edge = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);
        var balancer = await StackFixture.WaitForRecordAsync(_stack.Stack.BalancerDecisions.FilePath!, requestId);
        var traceId = edge.GetProperty("trace_id").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, balancer.GetProperty("trace_id").GetString());
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-0[01]$", originSaw);
    }

    [Theory]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011", "wrong length")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "short trace id")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "all-zero trace id")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "all-zero span id")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", "uppercase hex")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", "non-hex flags")]
    public async Task Traceparent_Invalid_DroppedAndNewTraceStarted(string traceparent, string reason)
    {
        using var response = await _stack.GetAsync("/api/public/trace-invalid", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
            request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");
        });
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var echo = await StackFixture.EchoAsync(response);

        var originSaw = Assert.Single(Header(echo, "traceparent"));
        Assert.NotEqual(traceparent, originSaw);
        Assert.DoesNotContain(ClientTraceId, originSaw.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", originSaw);
        Assert.Empty(Header(echo, "tracestate"));
        var edge = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);
        Assert.True(originSaw.Split('-')[1] == edge.GetProperty("trace_id").GetString(), reason);
    }

    [Fact]
    public async Task Traceparent_RepeatedHeader_NewTraceStarted()
    {
        using var response = await _stack.GetAsync("/api/public/trace-repeated", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-00");
        });

        var originSaw = Assert.Single(Header(await StackFixture.EchoAsync(response), "traceparent"));
        Assert.DoesNotContain(ClientTraceId, originSaw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Balancer_TraceparentWithoutAssertion_NotTrusted()
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.Balancer, "/api/public/direct-trace"));
        request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
        using var response = await _stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var balancer = await StackFixture.WaitForRecordAsync(_stack.Stack.BalancerDecisions.FilePath!, requestId);
        var traceId = balancer.GetProperty("trace_id").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(ClientTraceId, traceId);
    }

    private static List<string> Header(JsonElement echo, string name)
    {
        foreach (var header in echo.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value.EnumerateArray().Select(value => value.GetString()!).ToList();
            }
        }

        return [];
    }
}
