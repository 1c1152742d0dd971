using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.StickTables;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Runs a frontend's `tcp-request connection` rules when Kestrel accepts a connection, and in mode tcp also its
/// `tcp-request content` rules. A rejected connection is closed without a byte sent, as HAProxy does. Entries that
/// the rules track stay tracked until the connection closes, and every HTTP request on it counts in them.
/// </summary>
internal sealed class ConnectionGate(Func<RoutingState> state, ILogger logger)
{
    /// <summary>The key of the connection item that stores the sticky counters tracked by connection rules.</summary>
    public const string CountersItemKey = "gatehouse.connection-counters";

    public async Task HandleAsync(ConnectionContext connection, string frontendName, ConnectionDelegate next)
    {
        var routing = state();
        var frontend = routing.Frontends[frontendName];
        var config = frontend.Config;
        var tcpMode = config.Settings.Mode == ProxyMode.Tcp;
        if (config.TcpConnectionRules.Count == 0 && !(tcpMode && config.TcpContentRules.Count > 0))
        {
            await next(connection);
            return;
        }

        var sample = CreateSample(connection);
        var table = config.StickTable is { } definition ? routing.StickTables.Find(definition.Name) : null;
        var stick = new StickRequestState(routing.StickTables, table);
        sample.Http.Features.Set(stick);
        try
        {
            if (TcpRequestRule.Run(config.TcpConnectionRules, sample) is { } rejectedBy)
            {
                frontend.CountDeniedConnection();
                Reject(connection, sample, frontend, rejectedBy);
                return;
            }

            if (tcpMode && TcpRequestRule.Run(config.TcpContentRules, sample) is { } contentRejectedBy)
            {
                frontend.Counters.Add(Stats.ProxyEvent.DeniedRequests);
                Reject(connection, sample, frontend, contentRejectedBy);
                return;
            }

            if (stick.Counters is { } counters)
            {
                connection.Items[CountersItemKey] = counters;
            }

            await next(connection);
            if (!tcpMode)
            {
                stick.Counters?.CountIfNoRequest();
            }
        }
        finally
        {
            stick.Counters?.Release();
        }
    }

    /// <summary>Builds the sample that layer-4 fetches read: the peer address as `src`, the local port as `dst_port`.</summary>
    public static SampleContext CreateSample(ConnectionContext connection)
    {
        var http = new DefaultHttpContext();
        if (connection.RemoteEndPoint is IPEndPoint remote)
        {
            http.Connection.RemoteIpAddress = remote.Address;
            http.Connection.RemotePort = remote.Port;
        }

        if (connection.LocalEndPoint is IPEndPoint local)
        {
            http.Connection.LocalIpAddress = local.Address;
            http.Connection.LocalPort = local.Port;
        }

        return new SampleContext(http, "/");
    }

    private void Reject(ConnectionContext connection, SampleContext sample, FrontendRuntime frontend, TcpRequestRule rule)
    {
        var client = sample.Source is { } source ? SourceFetch.Format(source) : "-";
        BalancerLog.ConnectionRejected(logger, connection.ConnectionId, client, frontend.Name, rule.Name);
        connection.Abort(new ConnectionAbortedException($"closed by '{rule.Name}'"));
    }
}
