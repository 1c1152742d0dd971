namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Edge penalty box with the semantics of Fastly's <c>penaltybox</c>: a set of entries that each leave the
/// set when their TTL ends.
/// </summary>
public interface IPenaltyBox
{
    /// <summary>
    /// Adds <paramref name="entry"/>, or resets its expiry, for <paramref name="ttl"/> truncated to whole
    /// minutes. Throws <see cref="ArgumentOutOfRangeException"/> unless the truncated TTL is 1 to 60 minutes.
    /// </summary>
    void Add(string entry, TimeSpan ttl);

    /// <summary>Returns true while <paramref name="entry"/> is in the box and its TTL has not ended.</summary>
    bool Has(string entry);

    /// <summary>Returns the time until <paramref name="entry"/> expires, or null when it is not in the box.</summary>
    TimeSpan? RemainingTtl(string entry);

    /// <summary>Number of unexpired entries.</summary>
    int Count { get; }
}
