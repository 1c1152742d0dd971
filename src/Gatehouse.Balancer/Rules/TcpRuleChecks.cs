using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Rules;

/// <summary>
/// Checks, once a frontend's mode is known, that its `tcp-request` rules read only fetches available at their
/// stage, as HAProxy does. A connection rule runs before any byte is read, so it may read the addresses and the
/// stick counters. A content rule in mode tcp may read the same. In mode http it runs once the request is parsed,
/// so it may also read the request.
/// </summary>
internal static class TcpRuleChecks
{
    private static readonly HashSet<string> ConnectionFetches = new(StringComparer.Ordinal)
    {
        "src", "dst_port", "always_true", "always_false",
    };

    // These read the response, which no request rule can see.
    private static readonly HashSet<string> ResponseFetches = new(StringComparer.Ordinal)
    {
        "status", "capture.res.hdr", "res.cook", "scook", "res.hdr", "shdr",
    };

    public static void Check(FrontendConfig frontend, ConfigErrors errors)
    {
        var http = frontend.Settings.Mode == ProxyMode.Http;
        foreach (var rule in frontend.TcpConnectionRules.Concat(frontend.TcpContentRules))
        {
            var contentInHttp = http && rule.Stage == TcpRuleStage.Content;
            if (rule.CounterRule is TrackCounterRule track)
            {
                track.CountsHttpRequest = contentInHttp;
            }

            foreach (var expression in Expressions(rule))
            {
                if (Problem(expression.Definition.Name, rule.Stage, http) is { } problem)
                {
                    errors.Add(rule.Location, $"'{rule.Keyword}': {problem}");
                }
            }
        }
    }

    private static IEnumerable<SampleExpression> Expressions(TcpRequestRule rule)
    {
        var expressions = rule.Condition?.Acls.SelectMany(acl => acl.Expressions) ?? [];
        return rule.CounterRule switch
        {
            TrackCounterRule track => expressions.Append(track.Key),
            SetGptRule { Expression: { } value } => expressions.Append(value),
            _ => expressions,
        };
    }

    private static string? Problem(string fetch, TcpRuleStage stage, bool http)
    {
        if (ConnectionFetches.Contains(fetch) || StickFetchCatalog.Contains(fetch))
        {
            return null;
        }

        if (stage == TcpRuleStage.Content && (fetch == "ssl_fc" || (http && !ResponseFetches.Contains(fetch))))
        {
            return null;
        }

        var where = stage == TcpRuleStage.Connection
            ? "'tcp-request connection' rules, which run before any request data is read"
            : http ? "request rules" : "'tcp-request content' rules in mode tcp, which do not parse HTTP";
        return $"sample fetch '{fetch}' is not available in {where}; "
            + "use src, dst_port or the sc_*/src_* stick-table fetches, or move the test to an 'http-request' rule";
    }
}
