namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// The table of servers behind `balance static-rr` and the map-based hash algorithms: one entry per unit of
/// weight, interleaved so that each position goes to the server whose running share is furthest ahead. HAProxy 2.6
/// builds its map the same way (lb_map.c), so positions, and therefore a hash modulo the table size, select the
/// same server. The table covers eligible servers only and is rebuilt when eligibility or a weight changes.
/// </summary>
internal sealed class WeightMap
{
    private readonly ServerState[] _servers;
    private readonly Lock _lock = new();
    private int[] _built = [];
    private ServerState[] _table = [];

    public WeightMap(ServerState[] servers)
    {
        _servers = servers;
    }

    /// <summary>Returns the current table; empty when no server is eligible.</summary>
    public ServerState[] Table
    {
        get
        {
            lock (_lock)
            {
                var weights = _servers.Select(server => server.BalanceWeight).ToArray();
                if (!weights.AsSpan().SequenceEqual(_built))
                {
                    _table = Build([.. _servers.Where((_, i) => weights[i] > 0)]);
                    _built = weights;
                }

                return _table;
            }
        }
    }

    /// <summary>Builds the table for servers that all take traffic, with weights divided by their greatest common divisor.</summary>
    public static ServerState[] Build(ServerState[] servers)
    {
        var divisor = servers.Aggregate(0, (gcd, server) => Gcd(gcd, server.Weight));
        if (divisor == 0)
        {
            return [];
        }

        var weights = servers.Select(server => (long)(server.Weight / divisor)).ToArray();
        var total = weights.Sum();
        var scores = new long[servers.Length];
        var table = new ServerState[total];
        for (long position = 0; position < total; position++)
        {
            var best = -1;
            long bestLevel = 0;
            for (var i = 0; i < servers.Length; i++)
            {
                scores[i] += weights[i];

                // Levels compare by whole multiples of the total, so ties go to the earlier server.
                var level = (scores[i] + total) / total;
                if (best < 0 || level > bestLevel)
                {
                    best = i;
                    bestLevel = level;
                }
            }

            table[position] = servers[best];
            scores[best] -= total;
        }

        return table;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
