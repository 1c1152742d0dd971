using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;
using static Gatehouse.Balancer.Stats.PrometheusProxyMetrics;

namespace Gatehouse.Balancer.Stats;

/// <summary>The haproxy_server_* families, one sample per server labelled proxy="BACKEND",server="NAME".</summary>
internal static class PrometheusServerMetrics
{
    private static readonly string[] States = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"];

    public static void Write(PrometheusText text, IReadOnlyList<BackendPool> backends)
    {
        const string prefix = "haproxy_server_";
        var servers = backends.SelectMany(backend => backend.Servers.Select(server => (Backend: backend, Server: server))).ToList();
        string Name((BackendPool Backend, ServerState Server) item) => item.Backend.Name;
        (string, string) Label((BackendPool Backend, ServerState Server) item) => PrometheusExporter.Server(item.Server);

        Counter(text, prefix + "current_sessions", "gauge", "Number of requests the server is handling now", servers, Name, s => s.Server.Active, Label);
        Counter(text, prefix + "max_sessions", "gauge", "Maximum observed number of concurrent requests on the server", servers, Name, s => s.Server.Counters.Max, Label);
        var limited = servers.Where(s => s.Server.Config.MaxConnections is not null).ToList();
        if (limited.Count > 0)
        {
            Counter(text, prefix + "limit_sessions", "gauge", "Configured limit on concurrent requests (maxconn) of the server", limited, Name, s => s.Server.Config.MaxConnections!.Value, Label);
        }

        Counter(text, prefix + "sessions_total", "counter", "Total number of requests sent to the server since the configuration was loaded", servers, Name, s => s.Server.Counters.Total, Label);
        WriteTraffic(text, prefix, servers, Name, s => s.Server.Counters, Label);
        ServerErrors(text, prefix, servers, Name, s => s.Server.Counters, Label);
        WriteStatus(text, prefix, servers);
        Counter(text, prefix + "weight", "gauge", "Effective weight of the server", servers, Name, s => s.Server.Weight, Label);
        WriteCheckStatus(text, prefix, [.. servers.Where(s => s.Server.Config.Check is not null)]);
        Responses(text, prefix, servers, Name, s => s.Server.Counters, Label);
        Times(text, prefix, servers, Name, s => s.Server.Counters, Label);
    }

    private static void WriteStatus(PrometheusText text, string prefix, List<(BackendPool Backend, ServerState Server)> servers)
    {
        text.Family(prefix + "status", "gauge", "Current status of the server, per state label value");
        foreach (var (backend, server) in servers)
        {
            var state = server.AdminState switch
            {
                ServerAdminState.Maintenance => "MAINT",
                ServerAdminState.Drain => "DRAIN",
                _ => !server.IsUp ? "DOWN" : server.Weight == 0 ? "NOLB" : "UP",
            };
            foreach (var each in States)
            {
                text.Sample(each == state ? 1 : 0, PrometheusExporter.Proxy(backend.Name), PrometheusExporter.Server(server), ("state", each));
            }
        }
    }

    // NOTE: the last check's detailed result is not kept, so the status is L4OK/L7OK when the server is UP and
    // L4CON/L7STS when it is DOWN, by whether the backend uses TCP or `option httpchk` checks.
    private static void WriteCheckStatus(PrometheusText text, string prefix, List<(BackendPool Backend, ServerState Server)> servers)
    {
        text.Family(prefix + "check_status", "gauge", "Status of the last health check, per state label value");
        foreach (var (backend, server) in servers)
        {
            var http = backend.Config.Settings.HttpCheck is not null;
            var current = (http, server.IsUp) switch
            {
                (true, true) => "L7OK",
                (true, false) => "L7STS",
                (false, true) => "L4OK",
                (false, false) => "L4CON",
            };
            foreach (var each in (string[])["L4OK", "L4CON", "L7OK", "L7STS"])
            {
                text.Sample(each == current ? 1 : 0, PrometheusExporter.Proxy(backend.Name), PrometheusExporter.Server(server), ("state", each));
            }
        }
    }
}
