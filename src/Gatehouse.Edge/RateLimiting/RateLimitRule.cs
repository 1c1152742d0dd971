namespace Gatehouse.Edge.RateLimiting;

/// <summary>What a rate limit counts requests by.</summary>
public enum RateLimitKeyKind
{
    ClientIp,
    Subject,
    Header,
}

/// <summary>
/// One <c>[[rate_limits]]</c> rule: requests per second averaged over a 1, 10 or 60 s window, per key;
/// a key over the limit goes to the penalty box for <see cref="Penalty"/> and gets 429 until it expires.
/// </summary>
public sealed record RateLimitRule(
    string Name,
    RateLimitKeyKind Key,
    string? HeaderName,
    int WindowSeconds,
    long LimitPerSecond,
    TimeSpan Penalty,
    string? Prefix,
    int Line)
{
    public string RuleName => $"rate_limit {Name} (edge.toml:{Line})";
}
