using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// Applies rate_limit feedback rules. While a rule's marker for a key is in the penalty box, every request from
/// that key counts in a rate counter of its own, and a request is rejected while the key's rate exceeds the
/// rule's stricter limit. Once the marker expires the key is no longer counted here, so only the
/// <c>[[rate_limits]]</c> rules apply to it again.
/// </summary>
/// <remarks>
/// The counter is separate from the one of the <c>[[rate_limits]]</c> rules (in Redis, under its own key
/// prefix), so the two never share a count. Rejected requests count too, as in Fastly's <c>check_rate</c>,
/// so a client that keeps sending faster than the limit stays rejected. Unlike a <c>[[rate_limits]]</c> rule,
/// a key over the stricter limit gets no penalty of its own: it is allowed again once its rate falls back.
/// </remarks>
internal sealed class FeedbackLimits
{
    private readonly IPenaltyBox _penaltyBox;
    private readonly IRateCounter _counter;

    public FeedbackLimits(IPenaltyBox penaltyBox, IRateCounter counter)
    {
        _penaltyBox = penaltyBox;
        _counter = counter;
    }

    /// <summary>Counts one request of <paramref name="key"/> if <paramref name="rule"/> has marked it, and returns the block when the key is over the limit.</summary>
    public FeedbackBlock? Check(FeedbackRule rule, string key)
    {
        if (_penaltyBox.RemainingTtl(FeedbackEntries.For(rule, key)) is not { } remaining)
        {
            return null;
        }

        var limit = rule.Limit!;
        var entry = FeedbackEntries.CounterFor(rule, key);
        _counter.Increment(entry, 1);
        var rate = _counter.LookupRate(entry, limit.WindowSeconds);
        if (rate <= limit.LimitPerSecond)
        {
            return null;
        }

        // One window without requests brings the rate to zero, and the marker's expiry ends the limit sooner.
        var window = TimeSpan.FromSeconds(limit.WindowSeconds);
        return new FeedbackBlock(rule, window < remaining ? window : remaining)
        {
            Decision = "limit",
            Reason = $"rate {rate}/s over {limit} after {rule.Reason}",
        };
    }
}
