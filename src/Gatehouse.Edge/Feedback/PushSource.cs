using Gatehouse.Edge.Logging;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// Subscribes to one balancer stick table: calls <paramref name="onCrossed"/> with the entry's key and value
/// whenever an update lifts data type <paramref name="counter"/> (snake case, such as <c>gpt0</c>) to at
/// least <paramref name="threshold"/>. Returns the subscription, or null when the balancer has no table of
/// that name storing that data type. The edge cannot reference the balancer, so the host that runs both
/// supplies this, for example over <c>StickTable.Watch</c>.
/// </summary>
public delegate IDisposable? StickTableWatcher(string table, string counter, long threshold, Action<string, long> onCrossed);

/// <summary>Connects the push rules of an edge to the stick tables of an in-process balancer.</summary>
internal static class PushSource
{
    public static IDisposable Connect(
        IReadOnlyList<FeedbackRule> rules, StickTableWatcher watch, Action<string, string, string, long> observe, ILogger logger)
    {
        var subscriptions = new List<IDisposable>();
        foreach (var rule in rules.Where(rule => rule.Source == FeedbackSourceKind.Push))
        {
            var counter = rule.When.Counter;
            var table = rule.Table;
            var subscription = watch(table, counter, rule.When.LowestMatch, (key, value) => observe(table, key, counter, value));
            if (subscription is null)
            {
                EdgeLog.FeedbackTableNotWatched(logger, rule.Name, table, counter);
                continue;
            }

            subscriptions.Add(subscription);
        }

        return new Subscriptions(subscriptions);
    }

    private sealed class Subscriptions(List<IDisposable> subscriptions) : IDisposable
    {
        public void Dispose()
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
