using Gatehouse.Balancer.Logging;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Stats;

/// <summary>Adds a finished request's bytes, errors, retries and timers to its frontend, backend and server counters.</summary>
internal static class RequestAccounting
{
    public static void Count(RoutingState state, FrontendRuntime frontend, RequestOutcome outcome, AccessLogRecord record)
    {
        frontend.Counters.Add(ProxyEvent.BytesIn, record.BytesIn);
        frontend.Counters.Add(ProxyEvent.BytesOut, record.BytesOut);
        var (who, phase) = (record.Termination[0], record.Termination[1]);
        if (who is 'C' or 'c' && phase == 'R')
        {
            frontend.Counters.Add(ProxyEvent.RequestErrors);
        }

        if (outcome.Backend is null || !state.Backends.TryGetValue(outcome.Backend, out var backend))
        {
            frontend.Counters.Add(ProxyEvent.DeniedRequests, outcome.Decision == "deny" ? 1 : 0);
            return;
        }

        var server = record.Server == "<NOSRV>" ? null : Array.Find(backend.Servers, each => each.Name == record.Server);
        var connectionError = who is 'S' or 's' && phase == 'C' && outcome.SlotAcquired != 0;
        var responseError = who is 'S' or 's' or 'P' && phase is 'H' or 'D';
        foreach (var counters in server is null ? [backend.Counters] : new[] { backend.Counters, server.Counters })
        {
            counters.Add(ProxyEvent.BytesIn, record.BytesIn);
            counters.Add(ProxyEvent.BytesOut, record.BytesOut);
            counters.Add(ProxyEvent.DeniedRequests, outcome.Decision == "deny" && counters == backend.Counters ? 1 : 0);
            counters.Add(ProxyEvent.ConnectionErrors, connectionError ? 1 : 0);
            counters.Add(ProxyEvent.ResponseErrors, responseError ? 1 : 0);
            counters.Add(ProxyEvent.Retries, outcome.Retries);
            counters.Add(ProxyEvent.Redispatches, outcome.Redispatches);
            if (outcome.SlotAcquired != 0)
            {
                counters.AddTimes(Milliseconds(record.QueueTime), Milliseconds(record.ResponseTime), Milliseconds(record.ActiveTime));
            }
        }
    }

    private static TimeSpan Milliseconds(long value) => value < 0 ? TimeSpan.FromTicks(-1) : TimeSpan.FromMilliseconds(value);
}
