using System.Net;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>`balance leastconn`: fewest active requests per unit of weight; ties rotate so equal servers share load.</summary>
internal sealed class LeastConnectionsBalancer : ILoadBalancer
{
    private readonly ServerState[] _servers;
    private int _rotation;

    public LeastConnectionsBalancer(ServerState[] servers)
    {
        _servers = servers;
    }

    public ServerState? Select(SampleContext context)
    {
        if (_servers.Length == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)_servers.Length);
        ServerState? best = null;
        for (var i = 0; i < _servers.Length; i++)
        {
            var server = _servers[(start + i) % _servers.Length];
            if (server.IsUsable && (best is null || (long)server.Active * best.Weight < (long)best.Active * server.Weight))
            {
                best = server;
            }
        }

        return best;
    }
}

/// <summary>`balance first`: the first usable server in declaration order, so later servers take load only when earlier ones are full.</summary>
internal sealed class FirstAvailableBalancer : ILoadBalancer
{
    private readonly ServerState[] _servers;

    public FirstAvailableBalancer(ServerState[] servers)
    {
        _servers = servers;
    }

    public ServerState? Select(SampleContext context) => Array.Find(_servers, server => server.IsUsable);
}

/// <summary>`balance random`: two weighted random draws, keeping the one with fewer active requests per weight.</summary>
internal sealed class RandomBalancer : ILoadBalancer
{
    private readonly ServerState[] _servers;

    public RandomBalancer(ServerState[] servers)
    {
        _servers = servers;
    }

    public ServerState? Select(SampleContext context)
    {
        var first = Draw();
        var second = Draw();
        if (first is null || second is null)
        {
            return first ?? second;
        }

        return (long)second.Active * first.Weight < (long)first.Active * second.Weight ? second : first;
    }

    private ServerState? Draw()
    {
        long total = 0;
        foreach (var server in _servers)
        {
            total += server.IsUsable ? server.Weight : 0;
        }

        if (total == 0)
        {
            return null;
        }

        var point = Random.Shared.NextInt64(total);
        foreach (var server in _servers)
        {
            if (server.IsUsable)
            {
                point -= server.Weight;
                if (point < 0)
                {
                    return server;
                }
            }
        }

        return null;
    }
}

/// <summary>
/// `balance source`: a hash of the source address picks a slot in a weighted table, so one client keeps
/// reaching the same server while the server set is unchanged. An unusable server passes the request to the next slot.
/// </summary>
internal sealed class SourceHashBalancer : ILoadBalancer
{
    private readonly ServerState[] _slots;

    public SourceHashBalancer(ServerState[] servers)
    {
        _slots = [.. servers.SelectMany(server => Enumerable.Repeat(server, server.Weight))];
    }

    public ServerState? Select(SampleContext context)
    {
        if (_slots.Length == 0)
        {
            return null;
        }

        var start = (int)(Hash(context.Source) % (uint)_slots.Length);
        for (var i = 0; i < _slots.Length; i++)
        {
            var server = _slots[(start + i) % _slots.Length];
            if (server.IsUsable)
            {
                return server;
            }
        }

        return null;
    }

    private static uint Hash(IPAddress? address)
    {
        Span<byte> bytes = stackalloc byte[16];
        var mapped = address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
        if (mapped is null || !mapped.TryWriteBytes(bytes, out var written))
        {
            return 0;
        }

        // FNV-1a: cheap and spreads neighbouring addresses.
        var hash = 2166136261u;
        foreach (var b in bytes[..written])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
