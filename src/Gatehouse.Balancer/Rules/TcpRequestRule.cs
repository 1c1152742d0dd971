using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Rules;

/// <summary>When a `tcp-request` rule runs: once when the connection is accepted, or once per request or session.</summary>
internal enum TcpRuleStage
{
    Connection,
    Content,
}

/// <summary>What a `tcp-request` rule does when its condition holds.</summary>
internal enum TcpRuleAction
{
    /// <summary>Stops evaluating the rules of this stage and lets the connection go on.</summary>
    Accept,

    /// <summary>Closes the connection without sending anything.</summary>
    Reject,

    /// <summary>Runs a stick-counter action (track-scN, sc-inc-gpc0/1, sc-set-gpt0) and goes on with the next rule.</summary>
    Counter,
}

/// <summary>
/// One `tcp-request connection|content ACTION ... [if|unless COND]` line of a frontend or listen section.
/// </summary>
internal sealed class TcpRequestRule
{
    public required TcpRuleStage Stage { get; init; }

    public required TcpRuleAction Action { get; init; }

    /// <summary>The stick-counter action for <see cref="TcpRuleAction.Counter"/>; null otherwise.</summary>
    public HttpRequestRule? CounterRule { get; init; }

    public Condition? Condition { get; init; }

    public required ConfigLocation Location { get; init; }

    /// <summary>The keyword and action as written, such as "tcp-request connection reject".</summary>
    public required string Keyword { get; init; }

    public string Name => $"{Location} {Keyword}";

    /// <summary>
    /// Runs <paramref name="rules"/> in order and returns the reject rule that closed the connection, or null when the
    /// connection goes on: after an `accept`, or after the last rule, as HAProxy accepts by default.
    /// </summary>
    public static TcpRequestRule? Run(List<TcpRequestRule> rules, SampleContext sample)
    {
        foreach (var rule in rules)
        {
            if (!(rule.Condition?.Evaluate(sample) ?? true))
            {
                continue;
            }

            switch (rule.Action)
            {
                case TcpRuleAction.Accept:
                    return null;
                case TcpRuleAction.Reject:
                    return rule;
                default:
                    rule.CounterRule!.Execute(sample, out _);
                    break;
            }
        }

        return null;
    }
}
