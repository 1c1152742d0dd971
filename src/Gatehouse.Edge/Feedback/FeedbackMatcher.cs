using System.Collections.Concurrent;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// Finds the rules a stick table observation satisfies, and reports each rule and key once per TTL, so a value
/// that stays high neither floods the log and the bus nor keeps extending a penalty.
/// </summary>
internal sealed class FeedbackMatcher
{
    // Past this many remembered matches, expired ones are swept on the next match.
    private const int SweepAbove = 10_000;

    private readonly IReadOnlyList<FeedbackRule> _rules;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _reportedUntil = new(StringComparer.Ordinal);

    public FeedbackMatcher(IReadOnlyList<FeedbackRule> rules, TimeProvider time)
    {
        _rules = rules;
        _time = time;
    }

    /// <summary>Returns the rules that <paramref name="value"/> satisfies and that have not reported this key within their TTL.</summary>
    public List<(FeedbackRule Rule, string Key)> Match(string table, string key, string counter, long value)
    {
        var name = FeedbackCounters.Normalize(counter);
        var matches = new List<(FeedbackRule, string)>();
        foreach (var rule in _rules)
        {
            if (rule.Table == table && rule.When.Counter == name && rule.When.Matches(value))
            {
                var normalized = FeedbackEntries.Normalize(rule, key);
                if (TryReport(rule, normalized, rule.Ttl))
                {
                    matches.Add((rule, normalized));
                }
            }
        }

        return matches;
    }

    /// <summary>Returns true, and remembers the report for <paramref name="ttl"/>, unless this rule reported this key within its TTL.</summary>
    public bool TryReport(FeedbackRule rule, string key, TimeSpan ttl)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var entry = FeedbackEntries.For(rule, key);
        if (_reportedUntil.TryGetValue(entry, out var until) && until > now)
        {
            return false;
        }

        if (_reportedUntil.Count > SweepAbove)
        {
            foreach (var expired in _reportedUntil.Where(pair => pair.Value <= now))
            {
                _reportedUntil.TryRemove(expired);
            }
        }

        _reportedUntil[entry] = now + ttl.Ticks;
        return true;
    }
}
