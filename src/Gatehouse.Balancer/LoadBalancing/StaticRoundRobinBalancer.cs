using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// `balance static-rr`: requests walk the <see cref="WeightMap"/> table in order, skipping servers at maxconn,
/// which gives HAProxy 2.6's sequence for the same weights.
/// </summary>
internal sealed class StaticRoundRobinBalancer : ILoadBalancer
{
    private readonly WeightMap _map;
    private readonly Lock _lock = new();
    private int _next;

    public StaticRoundRobinBalancer(ServerState[] servers)
    {
        _map = new WeightMap(servers);
    }

    public ServerState? Select(SampleContext context)
    {
        var table = _map.Table;
        lock (_lock)
        {
            for (var i = 0; i < table.Length; i++)
            {
                var position = (_next + i) % table.Length;
                if (table[position].IsUsable)
                {
                    _next = (position + 1) % table.Length;
                    return table[position];
                }
            }

            return null;
        }
    }
}
