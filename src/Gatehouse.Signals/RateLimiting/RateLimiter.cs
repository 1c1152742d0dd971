namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Edge rate limiter: Fastly's <c>check_rate</c> in one call, combining a rate counter and a penalty box.
/// </summary>
public sealed class RateLimiter
{
    private readonly IRateCounter _counter;
    private readonly IPenaltyBox _penaltyBox;

    public RateLimiter(IRateCounter counter, IPenaltyBox penaltyBox)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(penaltyBox);
        _counter = counter;
        _penaltyBox = penaltyBox;
    }

    /// <summary>
    /// Counts <paramref name="delta"/> events for <paramref name="entry"/>, then blocks it when it is already
    /// in the penalty box or its rate over <paramref name="windowSeconds"/> (1, 10 or 60) exceeds
    /// <paramref name="limitPerSecond"/>. An entry over the limit is added to the box for
    /// <paramref name="penaltyTtl"/> (truncated to whole minutes, 1 to 60). An entry already in the box
    /// keeps its expiry, so a penalty lasts exactly its TTL. Blocked requests still count, so an entry whose
    /// rate still exceeds the limit when the penalty ends is boxed again by its next request.
    /// </summary>
    /// <remarks>
    /// The rate is rounded down to whole events per second, so with a 10 s window and a limit of 10 the
    /// entry is blocked from its 110th event in the window. Arguments are all validated before counting.
    /// </remarks>
    public RateDecision CheckRate(string entry, long delta, int windowSeconds, long limitPerSecond, TimeSpan penaltyTtl)
    {
        ErlLimits.ValidateEntry(entry);
        ErlLimits.ValidateDelta(delta);
        ErlLimits.ValidateWindow(windowSeconds);
        ErlLimits.ValidateLimit(limitPerSecond);
        var ttl = ErlLimits.NormalizePenaltyTtl(penaltyTtl, nameof(penaltyTtl));

        _counter.Increment(entry, delta);
        var rate = _counter.LookupRate(entry, windowSeconds);

        if (_penaltyBox.RemainingTtl(entry) is { } remaining)
        {
            return new RateDecision(Blocked: true, rate, remaining);
        }

        if (rate > limitPerSecond)
        {
            _penaltyBox.Add(entry, ttl);
            return new RateDecision(Blocked: true, rate, _penaltyBox.RemainingTtl(entry) ?? ttl);
        }

        return new RateDecision(Blocked: false, rate, TimeSpan.Zero);
    }
}
