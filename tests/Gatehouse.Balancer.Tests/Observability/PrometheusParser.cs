using System.Diagnostics;
using System.Text.Json;

namespace Gatehouse.Balancer.Tests.Observability;

/// <summary>
/// Parses Prometheus text with the reference parser, prometheus_client.parser.text_string_to_metric_families of the
/// Python client (Debian package python3-prometheus-client), and returns every family with its type and samples.
/// </summary>
internal static class PrometheusParser
{
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            out.append({"name": family.name, "type": family.type, "help": family.documentation,
                        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples]})
        print(json.dumps(out))
        """;

    public static async Task<IReadOnlyList<MetricFamily>> ParseAsync(string text)
    {
        // The Debian interpreter, which has the package, even where another python3 comes first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"the Prometheus parser rejected the text: {await error}");
        return JsonSerializer.Deserialize<List<MetricFamily>>(await output, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    /// <summary>Returns the value of the sample with exactly these labels, or null when there is none.</summary>
    public static double? Value(this IReadOnlyList<MetricFamily> families, string sample, params (string Name, string Value)[] labels)
    {
        foreach (var family in families)
        {
            foreach (var each in family.Samples)
            {
                if (each.Name == sample && each.Labels.Count == labels.Length && labels.All(label => each.Labels.GetValueOrDefault(label.Name) == label.Value))
                {
                    return each.Value;
                }
            }
        }

        return null;
    }
}

internal sealed record MetricFamily(string Name, string Type, string Help, List<MetricSample> Samples);

internal sealed record MetricSample(string Name, Dictionary<string, string> Labels, double Value);
