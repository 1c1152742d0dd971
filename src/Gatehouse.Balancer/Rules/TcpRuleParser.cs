using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Rules;

/// <summary>
/// Parses `tcp-request inspect-delay TIME`, `tcp-request connection ACTION ...` and `tcp-request content ACTION ...`
/// of a frontend or listen section. Which sample fetches a stage may read is checked by <see cref="TcpRuleChecks"/>
/// once the section's mode is known.
/// </summary>
internal static class TcpRuleParser
{
    private static readonly string[] Stages = ["connection", "content", "inspect-delay"];

    private static readonly string[] Actions = ["accept", "reject", "track-sc0", "track-sc1", "track-sc2", "sc-inc-gpc0(N)", "sc-inc-gpc1(N)", "sc-set-gpt0(N)"];

    private static readonly HashSet<string> NotSupportedActions = new(StringComparer.Ordinal)
    {
        "expect-proxy", "expect-netscaler-cip", "silent-drop", "set-src", "set-src-port", "set-dst", "set-dst-port",
        "set-var", "set-var-fmt", "unset-var", "set-mark", "set-tos", "capture", "do-resolve", "send-spoe-group",
        "set-log-level", "set-nice", "switch-mode", "use-service", "lua", "set-priority-class", "set-priority-offset",
        "attach-srv", "sc-add-gpc", "sc-inc-gpc", "sc-set-gpt",
    };

    /// <summary>Parses one `tcp-request` line into <paramref name="frontend"/>; problems follow "FILE:LINE: ".</summary>
    public static void Parse(ConfigLine line, FrontendConfig frontend, AclScope scope, string baseDirectory, ConfigErrors errors)
    {
        var stage = line.Count > 1 ? line[1] : "";
        if (stage == "inspect-delay")
        {
            ParseInspectDelay(line, frontend, errors);
            return;
        }

        if (stage is not ("connection" or "content"))
        {
            errors.Add(line.Location, stage == "session"
                ? "'tcp-request session' is not supported yet"
                : $"'tcp-request' expects connection, content or inspect-delay, got '{stage}'{Suggestions.DidYouMean(stage, Stages)}");
            return;
        }

        var problems = new List<string>();
        var action = line.Count > 2 ? line[2] : "";
        var keyword = $"tcp-request {stage} {action}".TrimEnd();
        var rule = ParseRule(line, stage == "connection" ? TcpRuleStage.Connection : TcpRuleStage.Content, keyword, scope, baseDirectory, problems);
        foreach (var problem in problems)
        {
            errors.Add(line.Location, $"'{keyword}': {problem}");
        }

        if (rule is not null && problems.Count == 0)
        {
            (rule.Stage == TcpRuleStage.Connection ? frontend.TcpConnectionRules : frontend.TcpContentRules).Add(rule);
        }
    }

    private static TcpRequestRule? ParseRule(
        ConfigLine line, TcpRuleStage stage, string keyword, AclScope scope, string baseDirectory, List<string> problems)
    {
        var action = line.Count > 2 ? line[2] : "";
        if (action is not ("accept" or "reject") && !StickRuleParser.Handles(action))
        {
            problems.Add(NotSupportedActions.Contains(action) || NotSupportedActions.Contains(action.Split('(')[0])
                ? $"action '{action}' is not supported yet"
                : $"expects an action: {string.Join(", ", Actions)}, got '{action}'{Suggestions.DidYouMean(action, Actions)}");
            return null;
        }

        if (!HttpRuleParser.TrySplitCondition(line, 3, keyword, scope, baseDirectory, problems, out var args, out var condition))
        {
            return null;
        }

        HttpRequestRule? counterRule = null;
        if (action is "accept" or "reject")
        {
            if (args.Count != 0)
            {
                problems.Add($"takes no arguments before 'if' or 'unless', got '{string.Join(' ', args)}'");
                return null;
            }
        }
        else if ((counterRule = StickRuleParser.Parse(action, args, problems)) is null)
        {
            return null;
        }

        if (counterRule is TrackCounterRule track)
        {
            // A connection is not an HTTP request; TcpRuleChecks turns this back on for content rules in mode http.
            track.CountsHttpRequest = false;
        }

        return new TcpRequestRule
        {
            Stage = stage,
            Action = action switch
            {
                "accept" => TcpRuleAction.Accept,
                "reject" => TcpRuleAction.Reject,
                _ => TcpRuleAction.Counter,
            },
            CounterRule = counterRule,
            Condition = condition,
            Location = line.Location,
            Keyword = keyword,
        };
    }

    private static void ParseInspectDelay(ConfigLine line, FrontendConfig frontend, ConfigErrors errors)
    {
        if (line.Count != 3 || !TimeValue.TryParse(line[2], out var delay))
        {
            errors.Add(line.Location, $"'tcp-request inspect-delay' expects {TimeValue.Expected}");
            return;
        }

        frontend.InspectDelay = delay;
    }
}
