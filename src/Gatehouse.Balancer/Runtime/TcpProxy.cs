using System.Net;
using System.Net.Sockets;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.LoadBalancing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Forwards the connections of `mode tcp` frontends: takes a server slot from the default backend with its
/// balance algorithm, connects within `timeout connect` (retrying other servers up to `retries` times), then
/// copies bytes both ways until either side closes or nothing moves for the idle timeout.
/// </summary>
internal sealed class TcpProxy(Func<RoutingState> state, ILogger logger)
{
    public async Task HandleAsync(ConnectionContext connection, string frontendName)
    {
        var routing = state();
        var frontend = routing.Frontends[frontendName];
        if (frontend.Config.DefaultBackend?.Name is not { } backendName || !routing.Backends.TryGetValue(backendName, out var backend))
        {
            connection.Abort();
            return;
        }

        // The balance algorithms read a sample; in TCP mode only the source address is known.
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var sample = new SampleContext(http, "/");
        // Kestrel signals ConnectionClosed as soon as the client half-closes, which must not stop an exchange,
        // so the connect is bounded by `timeout connect` alone and the pump watches the pipes instead.
        var (server, socket) = await ConnectAsync(backend, sample, connection.ConnectionId, CancellationToken.None);
        if (server is null || socket is null)
        {
            connection.Abort();
            return;
        }

        try
        {
            var settings = backend.Config.Settings;
            var idle = settings.TunnelTimeout ?? Shorter(frontend.Config.Settings.ClientTimeout, settings.ServerTimeout);
            await using var serverStream = new NetworkStream(socket, ownsSocket: true);
            await TcpPump.RunAsync(connection.Transport, serverStream, socket, idle);
        }
        finally
        {
            backend.Release(server);
        }
    }

    private async Task<(ServerState?, Socket?)> ConnectAsync(BackendPool backend, SampleContext sample, string connectionId, CancellationToken ct)
    {
        var settings = backend.Config.Settings;
        ServerState? failed = null;
        for (var attempt = 0; attempt <= settings.Retries; attempt++)
        {
            var slot = await backend.AcquireAsync(sample, ct, avoid: failed);
            if (slot.Server is not { } server)
            {
                BalancerLog.TcpNoServer(logger, connectionId, backend.Name, slot.Note ?? "no server available");
                return (null, null);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.ConnectTimeout ?? Timeout.InfiniteTimeSpan);
            try
            {
                await socket.ConnectAsync(server.Config.Host, server.Config.Port, timeout.Token);
                server.Counters.CountSession();
                Health.PassiveHealth.Observe(backend, server, Health.TrafficEvent.Succeeded, logger);
                return (server, socket);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                backend.Release(server);
                BalancerLog.TcpConnectFailed(logger, connectionId, backend.Name, server.Name, exception.Message);
                if (ct.IsCancellationRequested)
                {
                    return (null, null);
                }

                Health.PassiveHealth.Observe(backend, server, Health.TrafficEvent.ConnectionFailed, logger);

                // A redispatch moves the retry to another server, as `option redispatch` does for HTTP.
                failed = settings.RedispatchInterval != 0 ? server : null;
            }
        }

        return (null, null);
    }

    private static TimeSpan? Shorter(TimeSpan? first, TimeSpan? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        return first < second ? first : second;
    }
}
