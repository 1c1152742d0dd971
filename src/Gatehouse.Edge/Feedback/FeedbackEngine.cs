using Gatehouse.Edge.Logging;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>A request blocked by a feedback rule, and the time after which the client may retry.</summary>
internal sealed record FeedbackBlock(FeedbackRule Rule, TimeSpan RetryAfter)
{
    /// <summary>Decision in the decision record: <c>penalty</c> for a penalty box rule, <c>limit</c> for a rate_limit rule.</summary>
    public string Decision { get; init; } = "penalty";

    /// <summary>Reason in the decision record, such as <c>gpt0 &gt; 0 at balancer table web</c>.</summary>
    public string Reason { get; init; } = Rule.Reason;
}

/// <summary>
/// Applies the edge's <c>[[feedback]]</c> rules to stick table observations, which the balancer pushes,
/// HAProxy polling returns or the signal bus delivers. The engine puts the key of every entry that satisfies
/// a rule in the penalty box for the rule's TTL, and returns to the pipeline the rule that blocks a request.
/// </summary>
/// <remarks>
/// With a Redis penalty box every edge on that Redis reads an entry added here, within the box's absent-cache
/// time (1 s by default). A penalty box entry is named <c>feedback:RULE:KEY</c>, so a blocked request on
/// any edge names the rule. A require_sign_in rule stores a marker named <c>feedback-signin:RULE:KEY</c> in
/// the same box, which blocks nothing but makes public routes require sign-in from that client. A rate_limit
/// rule stores a marker named <c>feedback-limit:RULE:KEY</c>, which limits that key to the rule's stricter rate.
/// </remarks>
public sealed class FeedbackEngine
{
    private readonly IPenaltyBox _penaltyBox;
    private readonly ILogger _logger;
    private readonly FeedbackMatcher _matcher;
    private readonly Dictionary<string, FeedbackRule> _byName;
    private readonly FeedbackLimits _limits;

    /// <param name="limitCounter">
    /// Rate counter of the rate_limit rules, which must not be the counter of the <c>[[rate_limits]]</c> rules.
    /// Null means a new in-memory counter.
    /// </param>
    public FeedbackEngine(
        IReadOnlyList<FeedbackRule> rules, IPenaltyBox penaltyBox, ILogger logger, TimeProvider time, IRateCounter? limitCounter = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(penaltyBox);
        if (rules.FirstOrDefault(rule => rule.Effect == FeedbackEffect.RateLimit && rule.Limit is null) is { } unlimited)
        {
            throw new ArgumentException($"feedback rule \"{unlimited.Name}\" has action rate_limit but no Limit", nameof(rules));
        }

        Rules = rules;
        _penaltyBox = penaltyBox;
        _logger = logger;
        _matcher = new FeedbackMatcher(rules, time);
        _byName = rules.ToDictionary(rule => rule.Name, StringComparer.Ordinal);
        _limits = new FeedbackLimits(penaltyBox, limitCounter ?? new InMemoryRateCounter(time));
    }

    public IReadOnlyList<FeedbackRule> Rules { get; }

    /// <summary>
    /// Records that stick table <paramref name="table"/> contains <paramref name="value"/> for data type
    /// <paramref name="counter"/> (<c>gpt0</c>, <c>http_err_rate</c> or the enum name <c>HttpErrRate</c>) of
    /// <paramref name="key"/>. Every rule the value satisfies boxes the key, once per rule TTL. Cheap enough
    /// to call on the balancer's request path, because a Redis box writes in the background.
    /// </summary>
    public void Observe(string table, string key, string counter, long value)
    {
        foreach (var (rule, normalized) in _matcher.Match(table, key, counter, value))
        {
            Box(rule, normalized, value);
        }
    }

    /// <summary>
    /// Applies a signal from the bus: boxes its key under the edge's rule of the same name, with that rule's
    /// TTL. A signal naming a rule this edge does not have is logged and dropped.
    /// </summary>
    public void Apply(FeedbackSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!_byName.TryGetValue(signal.RuleName, out var rule))
        {
            EdgeLog.FeedbackRuleUnknown(_logger, signal.RuleName, signal.Table);
            return;
        }

        var key = FeedbackEntries.Normalize(rule, signal.Key);
        if (_matcher.TryReport(rule, key, rule.Ttl))
        {
            Box(rule, key, signal.CounterValue);
        }
    }

    /// <summary>Applies every signal <paramref name="bus"/> delivers until the result is disposed.</summary>
    public IDisposable Subscribe(ISignalBus bus) => bus.Subscribe(Apply);

    /// <summary>
    /// Watches the balancer's stick tables for every push rule through <paramref name="watch"/>, so values
    /// reach <see cref="Observe"/> as soon as an update crosses a rule's threshold. Dispose the result to stop.
    /// </summary>
    public IDisposable ConnectPush(StickTableWatcher watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return PushSource.Connect(Rules, watch, Observe, _logger);
    }

    /// <summary>
    /// Returns the first rule that blocks this client (before authentication) or subject (after): a penalty box
    /// rule that boxed the key, or a rate_limit rule that marked the key and whose stricter limit it exceeds.
    /// Every rate_limit rule that marked the key counts the request, up to the rule that blocks it.
    /// </summary>
    internal FeedbackBlock? Check(string? client, string? subject, bool subjectStage)
    {
        var key = subjectStage ? subject : client;
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        foreach (var rule in Rules)
        {
            if ((rule.Key == FeedbackKeyKind.Subject) != subjectStage)
            {
                continue;
            }

            var normalized = FeedbackEntries.Normalize(rule, key);
            var block = rule.Effect switch
            {
                FeedbackEffect.PenaltyBox => Boxed(rule, normalized),
                FeedbackEffect.RateLimit => _limits.Check(rule, normalized),
                _ => null,
            };
            if (block is not null)
            {
                return block;
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the first require_sign_in rule that has marked this client, so the pipeline authenticates the
    /// request even on a public route. Such rules are keyed by client IP, because a public request has no subject.
    /// </summary>
    internal FeedbackRule? SignInRequiredBy(string? client)
    {
        if (string.IsNullOrEmpty(client))
        {
            return null;
        }

        foreach (var rule in Rules)
        {
            if (rule.Effect == FeedbackEffect.RequireSignIn
                && rule.Key == FeedbackKeyKind.ClientIp
                && _penaltyBox.Has(FeedbackEntries.For(rule, FeedbackEntries.Normalize(rule, client))))
            {
                return rule;
            }
        }

        return null;
    }

    private FeedbackBlock? Boxed(FeedbackRule rule, string key) =>
        _penaltyBox.RemainingTtl(FeedbackEntries.For(rule, key)) is { } remaining ? new FeedbackBlock(rule, remaining) : null;

    private void Box(FeedbackRule rule, string key, long value)
    {
        try
        {
            _penaltyBox.Add(FeedbackEntries.For(rule, key), rule.Ttl);
        }
        catch (ArgumentException ex)
        {
            EdgeLog.FeedbackKeyRejected(_logger, rule.Name, rule.Table, ex.Message);
            return;
        }

        if (rule.Effect == FeedbackEffect.RateLimit)
        {
            EdgeLog.FeedbackKeyLimited(_logger, rule.Name, key, rule.Limit!.ToString(), rule.Ttl, rule.Reason, value);
            return;
        }

        EdgeLog.FeedbackKeyBoxed(_logger, rule.Name, key, rule.Ttl, rule.Reason, value);
    }
}
