using System.Security.Cryptography;
using System.Text;
using Gatehouse.Signals.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.RateLimiting;

/// <summary>
/// The rate-counter and penalty-box step of the edge pipeline. Client and header keys are checked before
/// routing; subject keys once a token has been validated.
/// </summary>
internal sealed class RateLimitStep
{
    /// <summary>Longest key value used as is; longer values are hashed to keep entries within the counter's 256-byte limit.</summary>
    private const int MaxKeyBytes = 200;

    private readonly IReadOnlyList<RateLimitRule> _rules;
    private readonly RateLimiter _limiter;

    public RateLimitStep(IReadOnlyList<RateLimitRule> rules, RateLimiter limiter)
    {
        _rules = rules;
        _limiter = limiter;
    }

    /// <summary>
    /// Checks every rule whose key is available and whose prefix matches the routing path; returns the first that blocks.
    /// </summary>
    public (RateLimitRule Rule, RateDecision Decision)? Check(
        HttpContext context, string path, string? client, string? subject, bool subjectStage)
    {
        foreach (var rule in _rules)
        {
            if ((rule.Key == RateLimitKeyKind.Subject) != subjectStage
                || (rule.Prefix is not null && !path.StartsWith(rule.Prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            var value = rule.Key switch
            {
                RateLimitKeyKind.ClientIp => client,
                RateLimitKeyKind.Subject => subject,
                _ => FirstHeader(context, rule.HeaderName!),
            };
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var decision = _limiter.CheckRate(Entry(rule, value), 1, rule.WindowSeconds, rule.LimitPerSecond, rule.Penalty);
            if (decision.Blocked)
            {
                return (rule, decision);
            }
        }

        return null;
    }

    private static string? FirstHeader(HttpContext context, string name)
    {
        var values = context.Request.Headers[name];
        return values.Count == 0 ? null : values[0];
    }

    private static string Entry(RateLimitRule rule, string value)
    {
        if (Encoding.UTF8.GetByteCount(value) <= MaxKeyBytes)
        {
            return rule.Name + "|" + value;
        }

        return rule.Name + "|sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
