using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Health;

/// <summary>What a forwarding attempt showed about a server, as `observe` classifies it.</summary>
internal enum TrafficEvent
{
    /// <summary>Nothing about the server, such as a client abort.</summary>
    Ignored,

    /// <summary>The connection failed or timed out: an error for layer4 and layer7.</summary>
    ConnectionFailed,

    /// <summary>Connected, then the response was invalid, timed out or had an error status: an error for layer7 only.</summary>
    ResponseFailed,

    /// <summary>Connected and, in `mode http`, got a valid response: a success for layer4 and layer7.</summary>
    Succeeded,
}

/// <summary>
/// Feeds forwarding results to a server's passive health (`observe`, `error-limit`, `on-error`) and logs what
/// it changes. It does nothing for a server without `check` or in maintenance.
/// </summary>
internal static class PassiveHealth
{
    /// <summary>Classifies a response status: HAProxy's layer7 observation takes 100-499, 501 and 505 as valid.</summary>
    public static TrafficEvent ForStatus(int status) =>
        status is >= 100 and <= 499 or 501 or 505 ? TrafficEvent.Succeeded : TrafficEvent.ResponseFailed;

    /// <summary>Classifies a forwarding error: a failed or timed-out connect is a layer4 error, the rest are layer7 errors.</summary>
    public static TrafficEvent ForError(ForwarderError error, Exception? exception)
    {
        if (ForwardFailures.Classify(error, exception).ClientAborted)
        {
            return TrafficEvent.Ignored;
        }

        return ForwardFailures.RetryCondition(error, exception) == RetryConditions.ConnectionFailure
            ? TrafficEvent.ConnectionFailed
            : TrafficEvent.ResponseFailed;
    }

    /// <summary>Applies one attempt's result to <paramref name="server"/> and logs an `on-error` action it triggers.</summary>
    public static void Observe(BackendPool backend, ServerState server, TrafficEvent traffic, ILogger logger)
    {
        if (server.Config.PassiveHealth is not { Mode: not ObserveMode.None } passive || !server.IsChecked || traffic == TrafficEvent.Ignored)
        {
            return;
        }

        // In layer4 mode a response of any kind proves the connection worked.
        var failed = traffic == TrafficEvent.ConnectionFailed
            || (traffic == TrafficEvent.ResponseFailed && passive.Mode == ObserveMode.Layer7);
        var verdict = server.ObserveTraffic(failed, passive);
        if (verdict == PassiveVerdict.None)
        {
            return;
        }

        var last = traffic == TrafficEvent.ConnectionFailed ? "connection failed" : "invalid or error response";
        var action = PassiveHealthSettings.Name(passive.OnError);
        if (verdict == PassiveVerdict.ActionApplied)
        {
            BalancerLog.PassiveHealthAction(logger, backend.Name, server.Name, passive.ErrorLimit, last, action, server.Health);
            return;
        }

        var active = backend.Servers.Count(candidate => candidate.IsEligible && !candidate.Config.Backup);
        var backup = backend.Servers.Count(candidate => candidate.IsEligible && candidate.Config.Backup);
        BalancerLog.ServerDownPassive(logger, backend.Name, server.Name, passive.ErrorLimit, last, action, active, backup, backend.Queue.Count);
        if (active + backup == 0)
        {
            BalancerLog.BackendDown(logger, backend.Name);
        }
    }
}
