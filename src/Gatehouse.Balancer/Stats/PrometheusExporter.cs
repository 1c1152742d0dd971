using System.Diagnostics;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Serves `http-request use-service prometheus-exporter`: the balancer's counters under the metric names, types and
/// labels of HAProxy's built-in exporter (haproxy_process_*, haproxy_frontend_* and haproxy_backend_* by proxy,
/// haproxy_server_* by proxy and server). Metrics the balancer does not track are left out rather than sent as zero.
/// </summary>
internal static class PrometheusExporter
{
    public const string ServiceName = "prometheus-exporter";

    private static readonly long StartTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset StartTime = DateTimeOffset.UtcNow;
    private static readonly string Version = typeof(PrometheusExporter).Assembly.GetName().Version?.ToString() ?? "0";

    public static string Build(RoutingState state)
    {
        var text = new PrometheusText();
        WriteProcess(text, state);
        PrometheusProxyMetrics.WriteFrontends(text, [.. state.Frontends.Values]);
        PrometheusProxyMetrics.WriteBackends(text, [.. state.Backends.Values]);
        PrometheusServerMetrics.Write(text, [.. state.Backends.Values]);
        return text.ToString();
    }

    private static void WriteProcess(PrometheusText text, RoutingState state)
    {
        text.Family("haproxy_process_build_info", "gauge", "Build information; the version label is the Gatehouse balancer's version");
        text.Sample(1, ("version", Version));
        text.Family("haproxy_process_start_time_seconds", "gauge", "Start time of the process in seconds since the Unix epoch");
        text.Sample(StartTime.ToUnixTimeMilliseconds() / 1000.0);
        text.Family("haproxy_process_uptime_seconds", "gauge", "How long ago the process was started, in seconds");
        text.Sample(Math.Floor(Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds));
        text.Family("haproxy_process_nbthread", "gauge", "Number of threads available to the process");
        text.Sample(Environment.ProcessorCount);
        text.Family("haproxy_process_current_connections", "gauge", "Number of requests in progress on all frontends");
        text.Sample(state.Frontends.Values.Sum(frontend => frontend.Counters.Current));
        text.Family("haproxy_process_requests_total", "counter", "Total number of requests received on all frontends since the configuration was loaded");
        text.Sample(state.Frontends.Values.Sum(frontend => frontend.Counters.Total));
        if (state.Config.MaxConnections is { } max)
        {
            text.Family("haproxy_process_max_connections", "gauge", "Configured limit on the number of connections (global maxconn)");
            text.Sample(max);
        }
    }

    internal static (string, string) Proxy(string name) => ("proxy", name);

    internal static (string, string) Server(ServerState server) => ("server", server.Name);
}
