using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Guests;

/// <summary>
/// A guest's named rate counter on the edge's own counter, with entries under <c>guest:NAME:</c>, so guest
/// counts share the edge's store (Redis when configured) without colliding with the edge's rate limits.
/// </summary>
internal sealed class SharedRateCounter(IRateCounter inner, string prefix) : IRateCounter
{
    public void Increment(string entry, long delta) => inner.Increment(prefix + entry, delta);

    public long LookupRate(string entry, int windowSeconds) => inner.LookupRate(prefix + entry, windowSeconds);

    public long LookupCount(string entry, int durationSeconds) => inner.LookupCount(prefix + entry, durationSeconds);
}

/// <summary>A guest's named penalty box on the edge's own box, with entries under <c>guest:NAME:</c>.</summary>
internal sealed class SharedPenaltyBox(IPenaltyBox inner, string prefix) : IPenaltyBox
{
    public void Add(string entry, TimeSpan ttl) => inner.Add(prefix + entry, ttl);

    public bool Has(string entry) => inner.Has(prefix + entry);

    public TimeSpan? RemainingTtl(string entry) => inner.RemainingTtl(prefix + entry);

    // NOTE: counts every entry of the edge's box, not only this guest's.
    public int Count => inner.Count;
}
