namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// Decisions per second by action, averaged over the last <see cref="WindowSeconds"/> whole seconds. Keeps one
/// count per second per action in a ring, and at most <see cref="MaxActions"/> actions.
/// </summary>
internal sealed class DecisionRates
{
    public const int WindowSeconds = 10;

    public const int MaxActions = 32;

    // One slot more than the window, so the second in progress never overwrites a second that is still read.
    private const int Slots = WindowSeconds + 1;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Second, long Count)[]> _rings = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public DecisionRates(TimeProvider time)
    {
        _time = time;
    }

    public void Add(string action)
    {
        var second = CurrentSecond();
        lock (_lock)
        {
            if (!_rings.TryGetValue(action, out var ring))
            {
                if (_rings.Count >= MaxActions)
                {
                    return;
                }

                ring = new (long, long)[Slots];
                _rings[action] = ring;
            }

            ref var slot = ref ring[second % Slots];
            slot = slot.Second == second ? (second, slot.Count + 1) : (second, 1);
        }
    }

    /// <summary>Returns every action seen so far with its rate over the last whole seconds, by action name.</summary>
    public IReadOnlyList<(string Action, double PerSecond)> Snapshot()
    {
        var now = CurrentSecond();
        var result = new List<(string, double)>();
        lock (_lock)
        {
            foreach (var (action, ring) in _rings)
            {
                long total = 0;
                foreach (var (second, count) in ring)
                {
                    total += second < now && second >= now - WindowSeconds ? count : 0;
                }

                result.Add((action, (double)total / WindowSeconds));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return result;
    }

    private long CurrentSecond() => _time.GetUtcNow().ToUnixTimeSeconds();
}
