using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// `balance uri`, `balance url_param` and `balance hdr`: a hash of a request value selects the server, so one
/// value keeps reaching one server while the server set is unchanged. A request without the value is balanced
/// round robin over the same servers, as in HAProxy.
/// </summary>
internal sealed class HashBalancer : ILoadBalancer
{
    private readonly Func<SampleContext, string?> _key;
    private readonly HashFunction _function;
    private readonly WeightMap? _map;
    private readonly ConsistentHashRing? _ring;
    private readonly StaticRoundRobinBalancer _fallback;

    public HashBalancer(ServerState[] servers, Func<SampleContext, string?> key, HashFunction function, bool consistent)
    {
        _key = key;
        _function = function;
        _map = consistent ? null : new WeightMap(servers);
        _ring = consistent ? new ConsistentHashRing(servers) : null;
        _fallback = new StaticRoundRobinBalancer(servers);
    }

    public ServerState? Select(SampleContext context)
    {
        if (_key(context) is not { } key)
        {
            return _fallback.Select(context);
        }

        var hash = HashFunctions.Hash(_function, key);
        if (_ring is not null)
        {
            return _ring.Find(hash);
        }

        var table = _map!.Table;
        if (table.Length == 0)
        {
            return null;
        }

        var server = table[hash % (uint)table.Length];
        return server.IsUsable ? server : null;
    }
}

/// <summary>
/// `hash-type consistent`: each eligible server owns points on a 32-bit ring in proportion to its weight, and a
/// hash goes to the owner of the next point, so adding or removing a server moves only that server's share.
/// </summary>
/// <remarks>NOTE: the point positions are Gatehouse's own, so the exact server for a key differs from HAProxy's.</remarks>
internal sealed class ConsistentHashRing
{
    private const int PointsPerWeight = 16;

    private readonly ServerState[] _servers;
    private readonly Lock _lock = new();
    private int[] _built = [];
    private uint[] _points = [];
    private ServerState[] _owners = [];

    public ConsistentHashRing(ServerState[] servers)
    {
        _servers = servers;
    }

    /// <summary>Returns the usable server owning the first point at or after the hash, walking on past full servers.</summary>
    public ServerState? Find(uint hash)
    {
        var (points, owners) = Snapshot();
        if (points.Length == 0)
        {
            return null;
        }

        // Short keys give small sdbm values, so the hash is mixed like the points to spread keys over the whole ring.
        var start = Array.BinarySearch(points, Mix(hash));
        start = start < 0 ? ~start : start;
        for (var i = 0; i < points.Length; i++)
        {
            var owner = owners[(start + i) % points.Length];
            if (owner.IsUsable)
            {
                return owner;
            }
        }

        return null;
    }

    private (uint[] Points, ServerState[] Owners) Snapshot()
    {
        lock (_lock)
        {
            var weights = _servers.Select(server => server.BalanceWeight).ToArray();
            if (!weights.AsSpan().SequenceEqual(_built))
            {
                var points = _servers
                    .Where((_, i) => weights[i] > 0)
                    .SelectMany(server => Enumerable.Range(0, server.Weight * PointsPerWeight)
                        .Select(index => (Hash: Mix(HashFunctions.Sdbm(System.Text.Encoding.UTF8.GetBytes($"{server.Name}#{index}"))), Server: server)))
                    .OrderBy(point => point.Hash)
                    .ToArray();
                _points = [.. points.Select(point => point.Hash)];
                _owners = [.. points.Select(point => point.Server)];
                _built = weights;
            }

            return (_points, _owners);
        }
    }

    // A 32-bit finalizer spreads sdbm values of similar names over the whole ring.
    private static uint Mix(uint value)
    {
        value ^= value >> 16;
        value *= 0x7feb352d;
        value ^= value >> 15;
        value *= 0x846ca68b;
        value ^= value >> 16;
        return value;
    }
}
