using Gatehouse.Signals.Feedback;

namespace Gatehouse.Edge.Feedback;

/// <summary>How a feedback condition compares a stick table counter with its threshold.</summary>
public enum FeedbackOperator
{
    GreaterThan,
    GreaterOrEqual,
    Equal,
}

/// <summary>Where an edge learns the stick table values that a feedback rule reads.</summary>
public enum FeedbackSourceKind
{
    /// <summary>The Gatehouse balancer pushes values, in process or over the signal bus.</summary>
    Push,

    /// <summary>The edge polls a real HAProxy through its runtime API.</summary>
    Poll,
}

/// <summary>What an edge does with the key of a stick table entry that satisfies a feedback rule.</summary>
public enum FeedbackEffect
{
    /// <summary>Answer 429 to every request from the key until the entry expires.</summary>
    PenaltyBox,

    /// <summary>Treat public routes as protected for the key: a valid token or session is required.</summary>
    RequireSignIn,

    /// <summary>Count the key's requests against the rule's stricter <see cref="FeedbackRule.Limit"/>.</summary>
    RateLimit,
}

/// <summary>
/// The stricter limit of a rate_limit feedback rule, read like a <c>[[rate_limits]]</c> rule: requests per
/// second averaged over a 1, 10 or 60 s window.
/// </summary>
public sealed record FeedbackLimit(long LimitPerSecond, int WindowSeconds)
{
    public override string ToString() => $"{LimitPerSecond}/s in {WindowSeconds}s window";
}

/// <summary>
/// One condition on one stick table counter, such as <c>gpt0 &gt; 0</c>. <see cref="Counter"/> is the
/// HAProxy data type name in snake case, without a rate period.
/// </summary>
public sealed record FeedbackCondition(string Counter, FeedbackOperator Operator, long Threshold)
{
    /// <summary>Returns true when <paramref name="value"/> satisfies the condition.</summary>
    public bool Matches(long value) => Operator switch
    {
        FeedbackOperator.GreaterThan => value > Threshold,
        FeedbackOperator.GreaterOrEqual => value >= Threshold,
        _ => value == Threshold,
    };

    /// <summary>
    /// Returns the lowest value that can satisfy the condition, which is the threshold of a stick table watch
    /// (it reports updates that lift a value to at least this).
    /// </summary>
    public long LowestMatch => Operator == FeedbackOperator.GreaterThan ? Threshold + 1 : Threshold;

    public override string ToString() => Operator switch
    {
        FeedbackOperator.GreaterThan => $"{Counter} > {Threshold}",
        FeedbackOperator.GreaterOrEqual => $"{Counter} >= {Threshold}",
        _ => $"{Counter} == {Threshold}",
    };
}

/// <summary>
/// One <c>[[feedback]]</c> rule: when a balancer stick table entry satisfies <see cref="When"/>, every edge
/// puts the entry's key (a client IP address or a subject) in the penalty box for <see cref="Ttl"/>. With
/// <see cref="FeedbackEffect.RequireSignIn"/> it requires sign-in from that client on public routes for that
/// time instead, and with <see cref="FeedbackEffect.RateLimit"/> it limits the key to <see cref="Limit"/>.
/// </summary>
public sealed record FeedbackRule(
    string Name,
    string Table,
    FeedbackCondition When,
    FeedbackAction Action,
    TimeSpan Ttl,
    FeedbackKeyKind Key,
    int Line)
{
    public FeedbackSourceKind Source { get; init; } = FeedbackSourceKind.Push;

    /// <summary>
    /// What the edge does with a matching key. <see cref="Action"/> is what goes in a bus signal, and edges
    /// ignore it, because they apply their own rule of the same name.
    /// </summary>
    // NOTE: FeedbackAction in Gatehouse.Signals has no require_sign_in member, so a require_sign_in rule
    // publishes signals with Action = PenaltyBox.
    public FeedbackEffect Effect { get; init; } = FeedbackEffect.PenaltyBox;

    /// <summary>The stricter limit of a <see cref="FeedbackEffect.RateLimit"/> rule; null for other rules.</summary>
    public FeedbackLimit? Limit { get; init; }

    /// <summary>Maximum time of one runtime API exchange of a poll rule, connect included. Default 5 s.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>HAProxy runtime API address of a poll rule, such as <c>unix:/run/haproxy.sock</c> or <c>tcp:127.0.0.1:9999</c>.</summary>
    public string? RuntimeApi { get; init; }

    /// <summary>Time between two polls of a poll rule. Default 1 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Name in decision records, such as <c>feedback:bad-paths</c>.</summary>
    public string RuleName => "feedback:" + Name;

    /// <summary>Reason in decision records, such as <c>gpt0 &gt; 0 at balancer table web</c>.</summary>
    public string Reason => $"{When} at balancer table {Table}";
}
