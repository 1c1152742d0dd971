using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// `balance roundrobin`: smooth weighted round robin. Each pick adds every usable server's weight to its
/// running score, takes the highest score and subtracts the total, so weights 2:1 give A B A, not A A B.
/// </summary>
internal sealed class RoundRobinBalancer : ILoadBalancer
{
    private readonly ServerState[] _servers;
    private readonly long[] _scores;
    private readonly Lock _lock = new();

    public RoundRobinBalancer(ServerState[] servers)
    {
        _servers = servers;
        _scores = new long[servers.Length];
    }

    public ServerState? Select(SampleContext context)
    {
        lock (_lock)
        {
            var best = -1;
            long total = 0;
            for (var i = 0; i < _servers.Length; i++)
            {
                if (!_servers[i].IsUsable)
                {
                    continue;
                }

                _scores[i] += _servers[i].Weight;
                total += _servers[i].Weight;
                if (best < 0 || _scores[i] > _scores[best])
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return null;
            }

            _scores[best] -= total;
            return _servers[best];
        }
    }
}

/// <summary>
/// `balance static-rr`: the weighted order is computed once at start, and requests walk it with a lock-free
/// counter, skipping servers that are not usable.
/// </summary>
internal sealed class StaticRoundRobinBalancer : ILoadBalancer
{
    private readonly ServerState[] _sequence;
    private long _next = -1;

    public StaticRoundRobinBalancer(ServerState[] servers)
    {
        var order = new List<ServerState>();
        var scores = new long[servers.Length];
        var total = servers.Sum(server => (long)server.Weight);
        for (long step = 0; step < total; step++)
        {
            var best = 0;
            for (var i = 0; i < servers.Length; i++)
            {
                scores[i] += servers[i].Weight;
                best = scores[i] > scores[best] ? i : best;
            }

            scores[best] -= total;
            order.Add(servers[best]);
        }

        _sequence = [.. order];
    }

    public ServerState? Select(SampleContext context)
    {
        if (_sequence.Length == 0)
        {
            return null;
        }

        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < _sequence.Length; i++)
        {
            var server = _sequence[(int)((start + i) % _sequence.Length)];
            if (server.IsUsable)
            {
                return server;
            }
        }

        return null;
    }
}
