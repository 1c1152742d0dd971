namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Result of <see cref="RateLimiter.CheckRate"/>: whether to reject the request, the entry's rate after this
/// request's increment (events per second over the checked window), and how long the penalty lasts
/// (<see cref="TimeSpan.Zero"/> when allowed), suitable for a Retry-After header.
/// </summary>
public readonly record struct RateDecision(bool Blocked, long CurrentRate, TimeSpan RetryAfter);
