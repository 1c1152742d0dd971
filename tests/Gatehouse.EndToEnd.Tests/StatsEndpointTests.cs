using System.Net;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>The demo stack's stats frontend: the HTML page and HAProxy-named Prometheus metrics.</summary>
public sealed class StatsEndpointTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public StatsEndpointTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task StatsPage_UnderDemoStack_ListsGatewayAndPools()
    {
        var stats = _stack.Stack.StatsAddress;
        Assert.NotNull(stats);

        using var response = await _stack.Http.GetAsync(new Uri(stats, "/stats"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gateway", page, StringComparison.Ordinal);
        Assert.Contains("public1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterPublicRequest_CountsGatewayRequests()
    {
        var stats = _stack.Stack.StatsAddress;
        Assert.NotNull(stats);
        using (var hello = await _stack.GetAsync("/api/public/metrics-probe"))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        using var response = await _stack.Http.GetAsync(new Uri(stats, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("haproxy_frontend_http_requests_total{proxy=\"gateway\"}", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.True(double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1, line);
    }
}
