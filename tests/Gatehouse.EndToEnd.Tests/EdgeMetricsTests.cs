using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gatehouse.Cli.Commands;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>The demo stack's edge metrics listener: Prometheus text, the edge panel and the banner line.</summary>
public sealed class EdgeMetricsTests : IClassFixture<StackFixture>
{
    private const string Parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        print(json.dumps({s.name + json.dumps(s.labels, sort_keys=True): s.value
                          for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples}))
        """;

    private readonly StackFixture _stack;

    public EdgeMetricsTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task EdgeMetrics_UnderDemoStack_CountsRequestsAndTokens()
    {
        var metrics = _stack.Stack.EdgeMetricsAddress;
        Assert.NotNull(metrics);
        Assert.NotEqual(_stack.Edge.Port, metrics.Port);
        using (var hello = await _stack.GetAsync("/api/public/edge-metrics-probe"))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        using (var orders = await _stack.GetAsync("/api/orders", user: "alice"))
        {
            Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        }

        // A decision is counted after its response is sent, so the scrape may have to wait for it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Dictionary<string, double> samples;
        do
        {
            samples = await ParseAsync(await _stack.Http.GetStringAsync(new Uri(metrics, "/metrics")));
        }
        while (Sum(samples, "gatehouse_edge_decisions_total{", "\"action\": \"forward\"") < 2 && DateTime.UtcNow < deadline);

        Assert.Equal(2, Sum(samples, "gatehouse_edge_decisions_total{", "\"action\": \"forward\""));
        Assert.Equal(1, samples["gatehouse_edge_token_validations_total{\"result\": \"valid\"}"]);
        Assert.Equal(0, samples["gatehouse_edge_penalty_box_entries{}"]);
    }

    [Fact]
    public async Task EdgePanel_UnderDemoStack_IsServedAndInBanner()
    {
        var metrics = _stack.Stack.EdgeMetricsAddress;
        Assert.NotNull(metrics);

        using var response = await _stack.Http.GetAsync(metrics);
        var page = await response.Content.ReadAsStringAsync();
        using var onPublic = await _stack.Http.GetAsync(new Uri(_stack.Edge, "/metrics"));
        var banner = Banner.Render(_stack.Stack);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>Gatehouse edge</title>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        Assert.Contains($"  edge stats  {metrics.ToString().TrimEnd('/')}/  (Prometheus metrics at {metrics.ToString().TrimEnd('/')}/metrics)", banner, StringComparison.Ordinal);
    }

    private static double Sum(Dictionary<string, double> samples, string prefix, string labelPart) =>
        samples.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && pair.Key.Contains(labelPart, StringComparison.Ordinal))
            .Sum(pair => pair.Value);

    // Parses with the Python client's reference parser (Debian package python3-prometheus-client).
    private static async Task<Dictionary<string, double>> ParseAsync(string text)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Parser]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"the Prometheus parser rejected the text: {await error}\n{text}");
        return JsonSerializer.Deserialize<Dictionary<string, double>>(await output)!;
    }
}
