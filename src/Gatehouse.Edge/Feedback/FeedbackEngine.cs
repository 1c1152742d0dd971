using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>A request blocked by a feedback rule, and the time until its penalty box entry expires.</summary>
internal sealed record FeedbackBlock(FeedbackRule Rule, TimeSpan RetryAfter);

/// <summary>
/// Applies the edge's <c>[[feedback]]</c> rules: takes stick table observations (pushed by the balancer,
/// polled from HAProxy, or received as signals on the bus), puts the key of every entry that satisfies a rule
/// in the penalty box for the rule's TTL, and tells the pipeline which requests those entries block.
/// </summary>
/// <remarks>
/// With a Redis penalty box every edge on that Redis sees an entry added here, within the box's absent-cache
/// time (1 s by default). A penalty box entry is named <c>feedback:RULE:KEY</c>, so a blocked request on
/// any edge names the rule. A require_sign_in rule stores a marker named <c>feedback-signin:RULE:KEY</c> in
/// the same box, which blocks nothing but makes public routes require sign-in from that client.
/// </remarks>
public sealed class FeedbackEngine
{
    private readonly IPenaltyBox _penaltyBox;
    private readonly ILogger _logger;
    private readonly FeedbackMatcher _matcher;
    private readonly Dictionary<string, FeedbackRule> _byName;

    public FeedbackEngine(IReadOnlyList<FeedbackRule> rules, IPenaltyBox penaltyBox, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(penaltyBox);
        Rules = rules;
        _penaltyBox = penaltyBox;
        _logger = logger;
        _matcher = new FeedbackMatcher(rules, time);
        _byName = rules.ToDictionary(rule => rule.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<FeedbackRule> Rules { get; }

    /// <summary>
    /// Records that stick table <paramref name="table"/> holds <paramref name="value"/> for data type
    /// <paramref name="counter"/> (<c>gpt0</c>, <c>http_err_rate</c> or the enum name <c>HttpErrRate</c>) of
    /// <paramref name="key"/>. Every rule the value satisfies boxes the key, once per rule TTL. Cheap enough
    /// to call on the balancer's request path: a Redis box writes in the background.
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
            FeedbackLog.UnknownRule(_logger, signal.RuleName, signal.Table);
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

    /// <summary>Returns the first rule whose penalty box entry blocks this client (before authentication) or subject (after).</summary>
    internal FeedbackBlock? Check(string? client, string? subject, bool subjectStage)
    {
        foreach (var rule in Rules)
        {
            if ((rule.Key == FeedbackKeyKind.Subject) != subjectStage || rule.Effect != FeedbackEffect.PenaltyBox)
            {
                continue;
            }

            var key = subjectStage ? subject : client;
            if (!string.IsNullOrEmpty(key) && _penaltyBox.RemainingTtl(FeedbackEntries.For(rule, FeedbackEntries.Normalize(rule, key))) is { } remaining)
            {
                return new FeedbackBlock(rule, remaining);
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

    private void Box(FeedbackRule rule, string key, long value)
    {
        try
        {
            _penaltyBox.Add(FeedbackEntries.For(rule, key), rule.Ttl);
        }
        catch (ArgumentException ex)
        {
            FeedbackLog.KeyRejected(_logger, rule.Name, rule.Table, ex.Message);
            return;
        }

        FeedbackLog.KeyBoxed(_logger, rule.RuleName, key, rule.Ttl, rule.Reason, value);
    }
}
