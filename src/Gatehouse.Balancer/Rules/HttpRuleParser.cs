using System.Globalization;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Rules;

/// <summary>Parses `http-request ACTION ... [if|unless COND]` and `http-response ACTION ... [if|unless COND]`.</summary>
internal static class HttpRuleParser
{
    public static readonly string[] RequestActions =
        ["allow", "deny", "return", "set-header", "add-header", "del-header", "set-src", "redirect", "set-path",
         "replace-header", "replace-path", "set-query", "cache-use", "use-service"];

    public static readonly string[] ResponseActions = ["set-header", "add-header", "del-header"];

    private static readonly HashSet<string> NotSupportedYet = new(StringComparer.Ordinal)
    {
        "tarpit", "auth", "capture", "set-var", "unset-var", "set-log-level", "replace-value",
        "replace-uri", "set-uri", "set-method", "cache-store",
        "normalize-uri", "set-map", "del-map", "add-acl", "del-acl", "set-priority-class", "set-priority-offset",
        "wait-for-body", "silent-drop", "reject", "early-hint", "set-timeout", "do-resolve", "set-dst",
        "set-dst-port", "set-src-port", "set-mark", "set-tos", "set-nice", "set-status", "disable-l7-retry",
        "set-bandwidth-limit", "send-spoe-group", "strict-mode", "lua", "set-var-fmt",
    };

    /// <summary>Parses an http-request line; problems are phrased to follow "'http-request ACTION': ".</summary>
    public static HttpRequestRule? ParseRequest(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        if (!TrySplit(line, RequestActions, scope, baseDirectory, problems, out var args, out var condition))
        {
            return null;
        }

        HttpRequestRule? rule = line[1] switch
        {
            "allow" => NoArguments(args, problems) ? new AllowRule() : null,
            "deny" => ParseRespond(args, "deny", problems),
            "return" => ParseRespond(args, "return", problems),
            "set-header" or "add-header" or "del-header" => ParseRequestHeader(line[1], args, problems),
            "set-src" => ParseSetSource(args, problems),
            "redirect" => RedirectParser.Parse(args, problems),
            "replace-header" => RewriteParser.ParseReplaceHeader(args, problems),
            "replace-path" => RewriteParser.ParseReplacePath(args, problems),
            "set-query" => RewriteParser.ParseSetQuery(args, problems),
            "cache-use" => Caching.CacheRuleParser.ParseCacheUse(args, problems),
            "use-service" => Stats.PrometheusServiceRule.Parse(args, problems),
            var stick when StickTables.StickRuleParser.Handles(stick) => StickTables.StickRuleParser.Parse(stick, args, problems),
            _ => ParseSetPath(args, problems),
        };
        if (rule is not null)
        {
            rule.Location = line.Location;
            rule.Keyword = $"http-request {line[1]}";
            rule.Condition = condition;
        }

        return rule;
    }

    public static ResponseHeaderRule? ParseResponse(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        if (!TrySplit(line, ResponseActions, scope, baseDirectory, problems, out var args, out var condition)
            || !TryParseHeader(line[1], args, problems, out var operation, out var name, out var value))
        {
            return null;
        }

        return new ResponseHeaderRule
        {
            Operation = operation,
            HeaderName = name,
            Value = value,
            Location = line.Location,
            Keyword = $"http-response {line[1]}",
            Condition = condition,
        };
    }

    private static bool TrySplit(
        ConfigLine line,
        string[] actions,
        AclScope scope,
        string baseDirectory,
        List<string> problems,
        out List<string> args,
        out Condition? condition)
    {
        args = [];
        condition = null;
        if (line.Count < 2)
        {
            problems.Add($"expects an action: {string.Join(", ", actions)}");
            return false;
        }

        var action = line[1];
        var stickAction = line.Keyword == "http-request" && StickTables.StickRuleParser.Handles(action);
        if (!actions.Contains(action) && !stickAction)
        {
            problems.Add(NotSupportedYet.Contains(action) || (line.Keyword == "http-response" && RequestActions.Contains(action))
                ? $"action '{action}' is not supported yet"
                : $"unknown action '{action}'; expected one of {string.Join(", ", actions)}{Suggestions.DidYouMean(action, actions)}");
            return false;
        }

        return TrySplitCondition(line, 2, $"{line.Keyword} {action}", scope, baseDirectory, problems, out args, out condition);
    }

    /// <summary>Parses a proxy-level `redirect location|prefix|scheme VALUE [code N] [drop-query] [if|unless COND]` line.</summary>
    public static RedirectRule? ParseRedirect(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        if (!TrySplitCondition(line, 1, "redirect", scope, baseDirectory, problems, out var args, out var condition)
            || RedirectParser.Parse(args, problems) is not { } rule)
        {
            return null;
        }

        rule.Location = line.Location;
        rule.Keyword = "redirect";
        rule.Condition = condition;
        return rule;
    }

    /// <summary>Splits the words from <paramref name="first"/> on into arguments and an optional `if`/`unless` condition.</summary>
    internal static bool TrySplitCondition(
        ConfigLine line,
        int first,
        string keyword,
        AclScope scope,
        string baseDirectory,
        List<string> problems,
        out List<string> args,
        out Condition? condition)
    {
        condition = null;
        var conditionStart = line.Count;
        for (var i = first; i < line.Count; i++)
        {
            if (ConditionParser.IsConditionKeyword(line.Words[i]))
            {
                conditionStart = i;
                break;
            }
        }

        args = [.. line.Words.Skip(first).Take(conditionStart - first).Select(word => word.Text)];
        if (conditionStart == line.Count)
        {
            return true;
        }

        condition = ConditionParser.Parse([.. line.Words.Skip(conditionStart)], scope, line.Location, keyword, baseDirectory, problems);
        return condition is not null;
    }

    private static RespondRule? ParseRespond(List<string> args, string action, List<string> problems)
    {
        var status = action == "deny" ? 403 : 200;
        var statusKeyword = action == "deny" ? "deny_status" : "status";
        string? contentType = null;
        LogFormat? body = null;
        var headers = new List<KeyValuePair<string, LogFormat>>();
        for (var i = 0; i < args.Count; i += 2)
        {
            var option = args[i];
            if (option == "hdr")
            {
                if (!TryParseResponseHeader(args, i, problems, headers))
                {
                    return null;
                }

                i++;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                problems.Add($"expects a value after '{option}'");
                return null;
            }

            var value = args[i + 1];
            if (option == statusKeyword)
            {
                if (!TryParseStatus(value, 200, 599, out status))
                {
                    problems.Add($"expects a status code from 200 to 599 after '{option}', got '{value}'");
                    return null;
                }
            }
            else if (option == "content-type")
            {
                contentType = value;
            }
            else if (option == "string")
            {
                body = LogFormat.Literal(value);
            }
            else if (option == "lf-string")
            {
                body = LogFormat.Parse(value, problems);
                if (body is null)
                {
                    return null;
                }
            }
            else
            {
                var known = new[] { statusKeyword, "content-type", "string", "lf-string", "hdr" };
                problems.Add(option is "file" or "lf-file" or "errorfile" or "errorfiles" or "default-errorfiles"
                    ? $"option '{option}' is not supported yet"
                    : $"unknown option '{option}'; expected {string.Join(", ", known)}{Suggestions.DidYouMean(option, known)}");
                return null;
            }
        }

        if (body is not null && contentType is null)
        {
            problems.Add("expects 'content-type' when a body is given with 'string' or 'lf-string'");
            return null;
        }

        // HAProxy 2.6 has an error page only for these statuses, and it sends a deny with `hdr` options and no body empty.
        if (action == "deny" && body is null && headers.Count == 0 && !Runtime.ErrorPages.Has(status))
        {
            problems.Add($"has no built-in error page for status {status}; add 'content-type' and 'string', or use one of {Runtime.ErrorPages.Statuses}");
            return null;
        }

        return new RespondRule
        {
            Status = status,
            ContentType = contentType,
            Body = body,
            Decision = action == "deny" ? "deny" : "allow",
            Headers = headers,
            UseErrorPage = action == "deny" && body is null && headers.Count == 0,
        };
    }

    private static bool TryParseResponseHeader(
        List<string> args, int index, List<string> problems, List<KeyValuePair<string, LogFormat>> headers)
    {
        if (index + 2 >= args.Count)
        {
            problems.Add("expects a header name and a value after 'hdr'");
            return false;
        }

        var value = LogFormat.Parse(args[index + 2], problems);
        if (value is null)
        {
            return false;
        }

        headers.Add(new KeyValuePair<string, LogFormat>(args[index + 1], value));
        return true;
    }

    private static RequestHeaderRule? ParseRequestHeader(string action, List<string> args, List<string> problems) =>
        TryParseHeader(action, args, problems, out var operation, out var name, out var value)
            ? new RequestHeaderRule { Operation = operation, HeaderName = name, Value = value }
            : null;

    private static bool TryParseHeader(
        string action, List<string> args, List<string> problems, out HeaderOperation operation, out string name, out LogFormat? value)
    {
        operation = action switch
        {
            "set-header" => HeaderOperation.Set,
            "add-header" => HeaderOperation.Add,
            _ => HeaderOperation.Delete,
        };
        name = args.Count > 0 ? args[0] : "";
        value = null;
        var expected = operation == HeaderOperation.Delete ? 1 : 2;
        if (args.Count != expected)
        {
            problems.Add(operation == HeaderOperation.Delete
                ? $"expects one header name, got {args.Count} arguments"
                : $"expects a header name and a value, got {args.Count} arguments; quote a value that contains spaces");
            return false;
        }

        if (operation != HeaderOperation.Delete)
        {
            value = LogFormat.Parse(args[1], problems);
            return value is not null;
        }

        return true;
    }

    private static SetSourceRule? ParseSetSource(List<string> args, List<string> problems)
    {
        if (args.Count != 1)
        {
            problems.Add("expects one sample expression, such as edge.client or hdr(x-forwarded-for)");
            return null;
        }

        var expression = SampleExpression.Parse(args[0], problems);
        return expression is null ? null : new SetSourceRule { Expression = expression };
    }

    private static SetPathRule? ParseSetPath(List<string> args, List<string> problems)
    {
        if (args.Count != 1)
        {
            problems.Add("expects one path value, such as /new%[path]");
            return null;
        }

        var path = LogFormat.Parse(args[0], problems);
        return path is null ? null : new SetPathRule { Path = path };
    }

    private static bool NoArguments(List<string> args, List<string> problems)
    {
        if (args.Count > 0)
        {
            problems.Add($"takes no arguments, got '{args[0]}'; a condition starts with 'if' or 'unless'");
        }

        return args.Count == 0;
    }

    private static bool TryParseStatus(string text, int min, int max, out int status) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && status >= min && status <= max;

    private static bool TryParseRedirectCode(string text, out int code) =>
        TryParseStatus(text, 301, 308, out code) && code is 301 or 302 or 303 or 307 or 308;
}
