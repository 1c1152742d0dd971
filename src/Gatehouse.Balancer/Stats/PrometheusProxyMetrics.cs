using Gatehouse.Balancer.Runtime;
using static Gatehouse.Balancer.Stats.PrometheusExporter;

namespace Gatehouse.Balancer.Stats;

/// <summary>The haproxy_frontend_* and haproxy_backend_* families, one sample per proxy labelled proxy="NAME".</summary>
internal static class PrometheusProxyMetrics
{
    internal static readonly string[] Codes = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    public static void WriteFrontends(PrometheusText text, IReadOnlyList<FrontendRuntime> frontends)
    {
        const string prefix = "haproxy_frontend_";
        Counter(text, prefix + "current_sessions", "gauge", "Number of current sessions on the frontend", frontends, f => f.Name, f => f.Counters.Current);
        Counter(text, prefix + "max_sessions", "gauge", "Maximum observed number of concurrent sessions on the frontend", frontends, f => f.Name, f => f.Counters.Max);
        if (frontends.Any(f => f.Config.Settings.MaxConnections is not null))
        {
            Counter(text, prefix + "limit_sessions", "gauge", "Configured session limit (maxconn) of the frontend",
                [.. frontends.Where(f => f.Config.Settings.MaxConnections is not null)], f => f.Name, f => f.Config.Settings.MaxConnections!.Value);
        }

        Counter(text, prefix + "sessions_total", "counter", "Total number of sessions since the configuration was loaded", frontends, f => f.Name, f => f.Counters.Total);
        WriteTraffic(text, prefix, frontends, f => f.Name, f => f.Counters);
        Counter(text, prefix + "requests_denied_total", "counter", "Total number of requests denied by http-request rules", frontends, f => f.Name, f => f.Counters.EventCount(ProxyEvent.DeniedRequests));
        Counter(text, prefix + "request_errors_total", "counter", "Total number of requests that failed on the client side", frontends, f => f.Name, f => f.Counters.EventCount(ProxyEvent.RequestErrors));
        text.Family(prefix + "status", "gauge", "Current status of the frontend, per state label value");
        foreach (var frontend in frontends)
        {
            text.Sample(0, Proxy(frontend.Name), ("state", "DOWN"));
            text.Sample(1, Proxy(frontend.Name), ("state", "UP"));
        }

        var http = frontends.Where(f => f.Config.Settings.Mode == Configuration.ProxyMode.Http).ToList();
        Responses(text, prefix, http, f => f.Name, f => f.Counters);
        Counter(text, prefix + "http_requests_total", "counter", "Total number of HTTP requests received since the configuration was loaded", http, f => f.Name, f => f.Counters.Total);
    }

    public static void WriteBackends(PrometheusText text, IReadOnlyList<BackendPool> backends)
    {
        const string prefix = "haproxy_backend_";
        Counter(text, prefix + "current_queue", "gauge", "Number of requests waiting in the backend queue", backends, b => b.Name, b => b.Queue.Count);
        Counter(text, prefix + "current_sessions", "gauge", "Number of current sessions on the backend's servers", backends, b => b.Name, b => b.Servers.Sum(s => s.Active));
        Counter(text, prefix + "sessions_total", "counter", "Total number of sessions since the configuration was loaded", backends, b => b.Name, b => b.Counters.Total);
        WriteTraffic(text, prefix, backends, b => b.Name, b => b.Counters);
        Counter(text, prefix + "requests_denied_total", "counter", "Total number of requests denied by the backend's http-request rules", backends, b => b.Name, b => b.Counters.EventCount(ProxyEvent.DeniedRequests));
        ServerErrors(text, prefix, backends, b => b.Name, b => b.Counters);
        text.Family(prefix + "status", "gauge", "Current status of the backend, per state label value");
        foreach (var backend in backends)
        {
            var up = backend.Servers.Any(server => server.IsEligible);
            text.Sample(up ? 0 : 1, Proxy(backend.Name), ("state", "DOWN"));
            text.Sample(up ? 1 : 0, Proxy(backend.Name), ("state", "UP"));
        }

        Counter(text, prefix + "weight", "gauge", "Sum of the effective weights of the backend's usable servers", backends, b => b.Name, b => b.Servers.Sum(s => s.BalanceWeight));
        Counter(text, prefix + "active_servers", "gauge", "Number of active servers that are UP with a weight above zero", backends, b => b.Name, b => b.Servers.Count(s => s.IsEligible && !s.Config.Backup));
        Counter(text, prefix + "backup_servers", "gauge", "Number of backup servers that are UP with a weight above zero", backends, b => b.Name, b => b.Servers.Count(s => s.IsEligible && s.Config.Backup));
        var http = backends.Where(b => b.Config.Settings.Mode == Configuration.ProxyMode.Http).ToList();
        Responses(text, prefix, http, b => b.Name, b => b.Counters);
        Counter(text, prefix + "http_requests_total", "counter", "Total number of HTTP requests the backend handled since the configuration was loaded", http, b => b.Name, b => b.Counters.Total);
        Times(text, prefix, backends, b => b.Name, b => b.Counters);
    }

    internal static void WriteTraffic<T>(PrometheusText text, string prefix, IReadOnlyList<T> items, Func<T, string> name, Func<T, ProxyCounters> counters, Func<T, (string, string)>? extra = null)
    {
        Counter(text, prefix + "bytes_in_total", "counter", "Total number of request bytes received", items, name, i => counters(i).EventCount(ProxyEvent.BytesIn), extra);
        Counter(text, prefix + "bytes_out_total", "counter", "Total number of response bytes sent", items, name, i => counters(i).EventCount(ProxyEvent.BytesOut), extra);
    }

    internal static void ServerErrors<T>(PrometheusText text, string prefix, IReadOnlyList<T> items, Func<T, string> name, Func<T, ProxyCounters> counters, Func<T, (string, string)>? extra = null)
    {
        Counter(text, prefix + "connection_errors_total", "counter", "Total number of failed or timed-out connections to servers", items, name, i => counters(i).EventCount(ProxyEvent.ConnectionErrors), extra);
        Counter(text, prefix + "response_errors_total", "counter", "Total number of invalid, broken or timed-out server responses", items, name, i => counters(i).EventCount(ProxyEvent.ResponseErrors), extra);
        Counter(text, prefix + "retry_warnings_total", "counter", "Total number of retried forwarding attempts", items, name, i => counters(i).EventCount(ProxyEvent.Retries), extra);
        Counter(text, prefix + "redispatch_warnings_total", "counter", "Total number of retries moved to another server", items, name, i => counters(i).EventCount(ProxyEvent.Redispatches), extra);
    }

    internal static void Responses<T>(PrometheusText text, string prefix, IReadOnlyList<T> items, Func<T, string> name, Func<T, ProxyCounters> counters, Func<T, (string, string)>? extra = null)
    {
        text.Family(prefix + "http_responses_total", "counter", "Total number of HTTP responses by status class, labelled code=\"1xx\" to \"5xx\" or \"other\"");
        for (var code = 0; code < Codes.Length; code++)
        {
            foreach (var item in items)
            {
                if (extra is null)
                {
                    text.Sample(counters(item).StatusCount(code), Proxy(name(item)), ("code", Codes[code]));
                }
                else
                {
                    text.Sample(counters(item).StatusCount(code), Proxy(name(item)), extra(item), ("code", Codes[code]));
                }
            }
        }
    }

    internal static void Times<T>(PrometheusText text, string prefix, IReadOnlyList<T> items, Func<T, string> name, Func<T, ProxyCounters> counters, Func<T, (string, string)>? extra = null)
    {
        Seconds(text, prefix + "queue_time_average_seconds", "Average time spent in the queue over about the last 1024 requests", items, name, i => counters(i).AverageQueueTime, extra);
        Seconds(text, prefix + "response_time_average_seconds", "Average time from forwarding to the response headers over about the last 1024 requests", items, name, i => counters(i).AverageResponseTime, extra);
        Seconds(text, prefix + "total_time_average_seconds", "Average total request time over about the last 1024 requests", items, name, i => counters(i).AverageTotalTime, extra);
    }

    internal static void Counter<T>(
        PrometheusText text, string family, string type, string help, IReadOnlyList<T> items, Func<T, string> name, Func<T, long> value, Func<T, (string, string)>? extra = null)
    {
        text.Family(family, type, help);
        foreach (var item in items)
        {
            if (extra is null)
            {
                text.Sample(value(item), Proxy(name(item)));
            }
            else
            {
                text.Sample(value(item), Proxy(name(item)), extra(item));
            }
        }
    }

    private static void Seconds<T>(PrometheusText text, string family, string help, IReadOnlyList<T> items, Func<T, string> name, Func<T, TimeSpan> value, Func<T, (string, string)>? extra)
    {
        text.Family(family, "gauge", help);
        foreach (var item in items)
        {
            if (extra is null)
            {
                text.Sample(value(item).TotalSeconds, Proxy(name(item)));
            }
            else
            {
                text.Sample(value(item).TotalSeconds, Proxy(name(item)), extra(item));
            }
        }
    }
}
