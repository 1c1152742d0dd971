using Gatehouse.Edge.Logging;
using Gatehouse.Signals.Feedback;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// The balancer's end of the feedback loop across machines: evaluates the edge's <c>[[feedback]]</c> rules on
/// stick table observations and publishes every match as a <see cref="FeedbackSignal"/>, once per rule, key
/// and TTL. Every edge subscribed to the bus applies it with <see cref="FeedbackEngine.Apply"/>.
/// </summary>
public sealed class FeedbackPublisher
{
    private readonly ISignalBus _bus;
    private readonly ILogger _logger;
    private readonly FeedbackMatcher _matcher;

    public FeedbackPublisher(IReadOnlyList<FeedbackRule> rules, ISignalBus bus, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(bus);
        Rules = rules;
        _bus = bus;
        _logger = logger;
        _matcher = new FeedbackMatcher(rules, time);
    }

    public IReadOnlyList<FeedbackRule> Rules { get; }

    /// <summary>
    /// Records a stick table value, as <see cref="FeedbackEngine.Observe"/> does, and publishes a signal for
    /// every rule it satisfies. Returns without waiting for the bus.
    /// </summary>
    public void Observe(string table, string key, string counter, long value)
    {
        foreach (var (rule, normalized) in _matcher.Match(table, key, counter, value))
        {
            var signal = new FeedbackSignal(
                rule.Table, rule.Key, normalized, rule.Action, rule.Ttl, rule.Name, rule.When.Counter, value);
            _ = PublishAsync(signal);
        }
    }

    /// <summary>Watches the balancer's stick tables for every push rule, as <see cref="FeedbackEngine.ConnectPush"/> does.</summary>
    public IDisposable ConnectPush(StickTableWatcher watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return PushSource.Connect(Rules, watch, Observe, _logger);
    }

    private async Task PublishAsync(FeedbackSignal signal)
    {
        if (!await _bus.PublishAsync(signal))
        {
            EdgeLog.FeedbackPublishFailed(_logger, signal.RuleName, signal.Table);
        }
    }
}
