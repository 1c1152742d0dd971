using System.Globalization;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Balancer.Rules;

/// <summary>The actions `http-after-response` supports.</summary>
internal enum AfterResponseAction
{
    SetHeader,
    AddHeader,
    DeleteHeader,
    ReplaceHeader,
    SetStatus,
}

/// <summary>
/// One `http-after-response` line. Unlike http-response rules, these run on every response the client gets,
/// including the ones the balancer writes itself (deny, return, redirect, error pages, monitor-uri).
/// </summary>
internal sealed class AfterResponseRule : HttpRule
{
    public static readonly string[] Actions = ["set-header", "add-header", "del-header", "replace-header", "set-status"];

    public required AfterResponseAction Action { get; init; }

    public string HeaderName { get; init; } = "";

    public LogFormat? Value { get; init; }

    public RegexReplacement? Replacement { get; init; }

    public int Status { get; init; }

    /// <summary>The `reason` of set-status, or null for the standard reason phrase.</summary>
    public string? Reason { get; init; }

    /// <summary>Runs the backend's rules, then the frontend's, as HAProxy does; call once the status and headers are final.</summary>
    public static void ApplyAll(SampleContext sample, HttpResponse response)
    {
        Apply(sample.BackendAfterRules, sample, response);
        Apply(sample.FrontendAfterRules, sample, response);
    }

    private static void Apply(List<AfterResponseRule> rules, SampleContext sample, HttpResponse response)
    {
        foreach (var rule in rules)
        {
            if (rule.Applies(sample))
            {
                rule.Execute(sample, response);
            }
        }
    }

    public void Execute(SampleContext context, HttpResponse response)
    {
        switch (Action)
        {
            case AfterResponseAction.SetHeader:
                response.Headers[HeaderName] = Value!.Render(context);
                break;
            case AfterResponseAction.AddHeader:
                response.Headers.Append(HeaderName, Value!.Render(context));
                break;
            case AfterResponseAction.DeleteHeader:
                response.Headers.Remove(HeaderName);
                break;
            case AfterResponseAction.ReplaceHeader:
                ReplaceHeader(context, response.Headers);
                break;
            default:
                response.StatusCode = Status;
                if (response.HttpContext.Features.Get<IHttpResponseFeature>() is { } feature)
                {
                    feature.ReasonPhrase = Reason;
                }

                break;
        }
    }

    private void ReplaceHeader(SampleContext context, IHeaderDictionary headers)
    {
        var lines = headers[HeaderName];
        if (lines.Count == 0)
        {
            return;
        }

        var replaced = new string?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            replaced[i] = Replacement!.Replace(lines[i] ?? "", context) ?? lines[i];
        }

        headers[HeaderName] = replaced;
    }

    /// <summary>Parses `http-after-response ACTION ... [if|unless COND]`; problems follow "'http-after-response ACTION': ".</summary>
    public static AfterResponseRule? Parse(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        var action = line.Count > 1 ? line[1] : "";
        if (!Actions.Contains(action))
        {
            problems.Add(line.Count < 2
                ? $"expects an action: {string.Join(", ", Actions)}"
                : $"action '{action}' is not supported yet; supported are {string.Join(", ", Actions)}{Suggestions.DidYouMean(action, Actions)}");
            return null;
        }

        if (!HttpRuleParser.TrySplitCondition(line, 2, $"http-after-response {action}", scope, baseDirectory, problems, out var args, out var condition))
        {
            return null;
        }

        var rule = action switch
        {
            "set-status" => ParseSetStatus(args, problems),
            "replace-header" => ParseReplaceHeader(args, problems),
            "del-header" => args.Count == 1 ? new AfterResponseRule { Action = AfterResponseAction.DeleteHeader, HeaderName = args[0] } : Fail(problems, "expects one header name"),
            _ => ParseHeader(action, args, problems),
        };
        if (rule is not null)
        {
            rule.Location = line.Location;
            rule.Keyword = $"http-after-response {action}";
            rule.Condition = condition;
        }

        return rule;
    }

    private static AfterResponseRule? ParseHeader(string action, List<string> args, List<string> problems)
    {
        if (args.Count != 2)
        {
            return Fail(problems, $"expects a header name and a value, got {args.Count} arguments; quote a value that contains spaces");
        }

        var value = LogFormat.Parse(args[1], problems);
        var kind = action == "set-header" ? AfterResponseAction.SetHeader : AfterResponseAction.AddHeader;
        return value is null ? null : new AfterResponseRule { Action = kind, HeaderName = args[0], Value = value };
    }

    private static AfterResponseRule? ParseReplaceHeader(List<string> args, List<string> problems)
    {
        if (args.Count != 3)
        {
            return Fail(problems, "expects a header name, a regular expression and a replacement");
        }

        var replacement = RegexReplacement.Parse(args[1], args[2], problems);
        return replacement is null ? null : new AfterResponseRule { Action = AfterResponseAction.ReplaceHeader, HeaderName = args[0], Replacement = replacement };
    }

    private static AfterResponseRule? ParseSetStatus(List<string> args, List<string> problems)
    {
        var valid = args.Count is 1 or 3
            && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 999
            && (args.Count == 1 || args[1] == "reason");
        if (!valid)
        {
            return Fail(problems, $"expects a status code from 100 to 999, optionally followed by 'reason TEXT', got '{string.Join(' ', args)}'");
        }

        return new AfterResponseRule
        {
            Action = AfterResponseAction.SetStatus,
            Status = int.Parse(args[0], CultureInfo.InvariantCulture),
            Reason = args.Count == 3 ? args[2] : null,
        };
    }

    private static AfterResponseRule? Fail(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }
}
