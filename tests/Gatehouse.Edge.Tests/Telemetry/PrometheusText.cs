using System.Diagnostics;
using System.Text.Json;

namespace Gatehouse.Edge.Tests.Telemetry;

/// <summary>
/// Parses Prometheus text with the Python client's reference parser (Debian package python3-prometheus-client).
/// Samples are keyed by name plus the labels as sorted JSON, for example <c>x_total{"rule": "r"}</c>.
/// </summary>
internal static class PrometheusText
{
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        print(json.dumps({s.name + json.dumps(s.labels, sort_keys=True): s.value
                          for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples}))
        """;

    public static async Task<Dictionary<string, double>> ParseAsync(string text)
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

    public static string Key(string sample, string labels) => sample + labels;
}
