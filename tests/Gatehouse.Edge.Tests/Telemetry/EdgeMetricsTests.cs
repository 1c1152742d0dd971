using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Edge.Telemetry;

namespace Gatehouse.Edge.Tests.Telemetry;

public sealed class EdgeMetricsTests
{
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        print(json.dumps({s.name + json.dumps(s.labels, sort_keys=True): s.value
                          for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples}))
        """;

    // Parses with the Python client's reference parser (Debian package python3-prometheus-client).
    private static async Task<Dictionary<string, double>> ParseAsync(string text)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"the Prometheus parser rejected the text: {await error}\n{text}");
        return JsonSerializer.Deserialize<Dictionary<string, double>>(await output)!;
    }

    private static string Key(string sample, string labels) => sample + labels;

    [Fact]
    public async Task Exporter_CountsDecisionsAndRateLimitHits()
    {
        using var exporter = new EdgeMetricsExporter();
        var rule = "test-" + Guid.NewGuid().ToString("N");
        EdgeMetrics.RecordDecision(rule, "forward");
        EdgeMetrics.RecordDecision(rule, "forward");
        EdgeMetrics.RecordDecision(rule, "limit");

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(2, samples[Key("gatehouse_edge_decisions_total", $$"""{"action": "forward", "rule": "{{rule}}"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_decisions_total", $$"""{"action": "limit", "rule": "{{rule}}"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_rate_limit_hits_total", $$"""{"rule": "{{rule}}"}""")]);
    }

    [Fact]
    public async Task Exporter_WritesHistogramBuckets()
    {
        using var exporter = new EdgeMetricsExporter();
        var result = "test-" + Guid.NewGuid().ToString("N");
        EdgeMetrics.TokenValidationSeconds.Record(0.003, new KeyValuePair<string, object?>("result", result));
        EdgeMetrics.TokenValidationSeconds.Record(20, new KeyValuePair<string, object?>("result", result));

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(0, samples[Key("gatehouse_edge_token_validation_seconds_bucket", $$"""{"le": "0.0025", "result": "{{result}}"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_token_validation_seconds_bucket", $$"""{"le": "0.005", "result": "{{result}}"}""")]);
        Assert.Equal(2, samples[Key("gatehouse_edge_token_validation_seconds_bucket", $$"""{"le": "+Inf", "result": "{{result}}"}""")]);
        Assert.Equal(2, samples[Key("gatehouse_edge_token_validation_seconds_count", $$"""{"result": "{{result}}"}""")]);
    }

    [Fact]
    public async Task Exporter_ReadsPenaltyBoxGauge()
    {
        using var exporter = new EdgeMetricsExporter();
        EdgeMetrics.ObservePenaltyBox(() => 7);

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(7, samples[Key("gatehouse_edge_penalty_box_entries", "{}")]);
    }

    [Fact]
    public void Exporter_EscapesLabelValues()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", EdgeMetricsExporter.Escape("a\\b\"c\nd"));
    }
}
