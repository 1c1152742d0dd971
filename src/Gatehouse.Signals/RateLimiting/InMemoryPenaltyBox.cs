namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// In-process <see cref="IPenaltyBox"/>. Lookups read a concurrent dictionary without locking; writes take one
/// lock. When the box contains <c>maxEntries</c> entries, a new entry evicts the entry closest to expiry, as
/// Fastly's penalty box does.
/// </summary>
/// <remarks>
/// Expired entries are purged lazily by <see cref="Has"/> and <see cref="RemainingTtl"/>, and by a sweep of
/// expired entries on every <see cref="Add"/> and <see cref="Count"/>.
/// </remarks>
public sealed class InMemoryPenaltyBox : IPenaltyBox
{
    private readonly ExpirySet _entries;
    private readonly TimeProvider _timeProvider;

    public InMemoryPenaltyBox(TimeProvider timeProvider, int maxEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeProvider = timeProvider;
        _entries = new ExpirySet(maxEntries);
    }

    public int MaxEntries => _entries.MaxEntries;

    public int Count => _entries.Count(NowTicks());

    public void Add(string entry, TimeSpan ttl)
    {
        ErlLimits.ValidateEntry(entry);
        var truncated = ErlLimits.NormalizePenaltyTtl(ttl, nameof(ttl));
        var now = NowTicks();
        _entries.Set(entry, now + truncated.Ticks, now);
    }

    public bool Has(string entry) => RemainingTtl(entry) is not null;

    public TimeSpan? RemainingTtl(string entry)
    {
        ErlLimits.ValidateEntry(entry);
        return _entries.TryGetRemaining(entry, NowTicks()) is { } remaining ? TimeSpan.FromTicks(remaining) : null;
    }

    private long NowTicks() => _timeProvider.GetUtcNow().UtcTicks;
}
