using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// A backend at run time: its servers, their selector, the queue for servers at maxconn, and the HTTP
/// client settings used to reach them.
/// </summary>
internal sealed class BackendPool
{
    public BackendPool(BackendConfig config, HttpMessageInvoker invoker)
    {
        Config = config;
        Invoker = invoker;
        Servers = [.. config.Servers.Select(server => new ServerState(server))];
        Selector = new ServerSelector(config.Settings, Servers);
        Queue = new ServerQueue();
        QueueTimeout = config.Settings.QueueTimeout ?? config.Settings.ConnectTimeout ?? Timeout.InfiniteTimeSpan;
        RequestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = config.Settings.ServerTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public BackendConfig Config { get; }

    /// <summary>Requests routed to this backend, for the stats page.</summary>
    public Stats.ProxyCounters Counters { get; } = new();

    private ServerState? NextUsableAfter(ServerState server)
    {
        var index = Array.IndexOf(Servers, server);
        for (var i = 1; i < Servers.Length; i++)
        {
            var candidate = Servers[(index + i) % Servers.Length];
            if (candidate.IsUsable && candidate.Config.Backup == server.Config.Backup)
            {
                return candidate;
            }
        }

        return null;
    }

    public string Name => Config.Name;

    public ServerState[] Servers { get; }

    public ServerSelector Selector { get; }

    public ServerQueue Queue { get; }

    /// <summary>`timeout queue`, else `timeout connect` as in HAProxy, else no limit.</summary>
    public TimeSpan QueueTimeout { get; }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary>
    /// Takes a slot on a server chosen by the balance algorithm, waiting in the queue when every eligible
    /// server is at maxconn. The caller must <see cref="Release"/> a returned server.
    /// </summary>
    /// <param name="avoid">On a redispatch, the server that just failed: another usable server is preferred, as in HAProxy.</param>
    /// <param name="persisted">The server a persistence cookie names; it is taken when it has a free slot.</param>
    public async Task<SlotResult> AcquireAsync(SampleContext sample, CancellationToken ct, ServerState? avoid = null, ServerState? persisted = null)
    {
        // NOTE: HAProxy queues a request for a full persisted server on that server; here it is balanced instead.
        if (persisted is not null && persisted != avoid && persisted.TryEnter())
        {
            return new SlotResult(persisted, null);
        }

        if (Queue.Count == 0)
        {
            // Another request may take the chosen server's last slot first, so select again a bounded number of times.
            for (var attempt = 0; attempt <= Servers.Length; attempt++)
            {
                var server = Selector.Select(sample);
                if (server is null)
                {
                    break;
                }

                if (server == avoid)
                {
                    // Algorithms such as first and the hashes return the same server again, so take the next usable one.
                    server = NextUsableAfter(avoid) ?? avoid;
                }

                if (server.TryEnter())
                {
                    return new SlotResult(server, null);
                }
            }
        }

        if (!Servers.Any(server => server.IsEligible))
        {
            return new SlotResult(null, "no server available");
        }

        var waiter = Queue.TryEnqueue(QueueLimit());
        if (waiter is null)
        {
            return new SlotResult(null, "queue full");
        }

        // A slot may have been freed between the selection above and joining the queue.
        DispatchAll();
        try
        {
            var server = await waiter.Value.Task.WaitAsync(QueueTimeout, ct);
            return new SlotResult(server, "queued");
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            if (Queue.TryRemove(waiter))
            {
                return new SlotResult(null, exception is TimeoutException ? "queue timeout" : "client aborted in queue");
            }

            // The waiter was handed a slot just as it gave up; give the slot back.
            Release(await waiter.Value.Task);
            return new SlotResult(null, "queue timeout");
        }
    }

    public void Release(ServerState server)
    {
        server.Leave();
        Queue.Dispatch(server);
    }

    /// <summary>Offers every server's free slots to the queue, for instance after a server came UP.</summary>
    public void DispatchAll()
    {
        foreach (var server in Servers)
        {
            Queue.Dispatch(server);
        }
    }

    /// <summary>
    /// HAProxy bounds each server's own queue with `maxqueue`; this balancer has one queue per backend, so
    /// its bound is the sum over the eligible servers, and there is no bound when any of them has none.
    /// </summary>
    private int? QueueLimit()
    {
        var limit = 0;
        foreach (var server in Servers.Where(server => server.IsEligible))
        {
            if (server.Config.MaxQueue is not ({ } max and > 0))
            {
                return null;
            }

            limit += max;
        }

        return limit;
    }
}

/// <summary>The server whose slot was taken, or null with the reason no slot was found.</summary>
internal readonly record struct SlotResult(ServerState? Server, string? Note);
