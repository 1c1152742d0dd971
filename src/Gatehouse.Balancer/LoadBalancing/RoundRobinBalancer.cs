using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>
/// `balance roundrobin`: HAProxy 2.6's weighted round robin, so that the same weights give the same order.
/// Each server has a next position in a window as wide as the total weight and steps forward by total/weight
/// after each pick. A server whose next position falls outside the window waits in the next window's queue,
/// and servers enter a fresh window heaviest first. A server at maxconn is passed over and queued as if picked.
/// </summary>
/// <remarks>NOTE: when a server's eligibility changes, the state restarts from an empty window, where HAProxy moves only that server.</remarks>
internal sealed class RoundRobinBalancer : ILoadBalancer
{
    // HAProxy 2.6 works on user weights (at most 256) times 16; the same scale gives the same positions and tie breaks.
    private const int WeightScale = 16;
    private const int UserWeightRange = 256;
    private const int EffectiveWeightMax = UserWeightRange * WeightScale;

    private readonly ServerState[] _servers;
    private readonly Lock _lock = new();
    private readonly RoundRobinQueue _current = new();
    private readonly RoundRobinQueue _first = new();
    private readonly RoundRobinQueue _second = new();
    private int[] _built = [];
    private RoundRobinQueue _init = null!;
    private RoundRobinQueue _next = null!;
    private int _currentPosition;
    private int _currentWeight;
    private int _nextWeight;

    public RoundRobinBalancer(ServerState[] servers)
    {
        _servers = servers;
    }

    public ServerState? Select(SampleContext context)
    {
        lock (_lock)
        {
            RebuildIfChanged();
            var passedOver = new List<RoundRobinEntry>();
            var switched = false;
            RoundRobinEntry? chosen = null;
            while (chosen is null)
            {
                if (_currentWeight == 0)
                {
                    _currentPosition = _currentWeight = _nextWeight;
                }

                RoundRobinEntry? entry;
                while ((entry = TakeCandidate()) is null)
                {
                    if (switched)
                    {
                        Requeue(passedOver, switched);
                        return null;
                    }

                    switched = true;
                    (_init, _next) = (_next, _init);
                    _currentPosition = _currentWeight = _nextWeight;
                }

                Advance(entry);
                entry.Queue?.Remove(entry);
                _currentPosition++;
                if (entry.Server.IsUsable)
                {
                    chosen = entry;
                }
                else
                {
                    passedOver.Add(entry);
                }
            }

            Enqueue(chosen);
            Requeue(passedOver, switched);
            return chosen.Server;
        }
    }

    /// <summary>Returns the first server of the current window, or the heaviest waiting one when the current window has a hole.</summary>
    private RoundRobinEntry? TakeCandidate()
    {
        var entry = _current.First;
        if ((entry is null || entry.NextPosition > _currentPosition) && _init.First is { } waiting)
        {
            waiting.NextPosition = 0;
            waiting.Remainder = 0;
            return waiting;
        }

        return entry;
    }

    private void Advance(RoundRobinEntry entry)
    {
        entry.NextPosition = (entry.NextPosition == 0 ? _currentPosition : entry.NextPosition) + (_nextWeight / entry.Weight);
        entry.Remainder += _nextWeight % entry.Weight;
        if (entry.Remainder >= entry.Weight)
        {
            entry.Remainder -= entry.Weight;
            entry.NextPosition++;
        }
    }

    private void Enqueue(RoundRobinEntry entry)
    {
        if (entry.NextPosition >= 2 * _currentWeight || entry.NextPosition >= _currentWeight + _nextWeight)
        {
            entry.NextPosition -= _currentWeight;
            _next.Insert(entry, EffectiveWeightMax - entry.Weight);
            return;
        }

        _current.Insert(entry, ((long)UserWeightRange * entry.NextPosition) + ((EffectiveWeightMax + entry.Remainder - entry.Weight) / WeightScale));
    }

    /// <summary>Puts passed-over servers back: by weight alone after the windows switched, else as if they were picked.</summary>
    private void Requeue(List<RoundRobinEntry> passedOver, bool switched)
    {
        foreach (var entry in passedOver)
        {
            if (switched)
            {
                _init.Insert(entry, EffectiveWeightMax - entry.Weight);
            }
            else
            {
                Enqueue(entry);
            }
        }
    }

    private void RebuildIfChanged()
    {
        var weights = _servers.Select(server => server.BalanceWeight).ToArray();
        if (weights.AsSpan().SequenceEqual(_built))
        {
            return;
        }

        _built = weights;
        _current.Clear();
        _first.Clear();
        _second.Clear();
        (_init, _next) = (_first, _second);
        var entries = _servers.Where((_, i) => weights[i] > 0).Select(server => new RoundRobinEntry(server, server.Weight * WeightScale)).ToArray();
        _currentPosition = _currentWeight = _nextWeight = entries.Sum(entry => entry.Weight);
        foreach (var entry in entries)
        {
            _init.Insert(entry, EffectiveWeightMax - entry.Weight);
        }
    }
}
