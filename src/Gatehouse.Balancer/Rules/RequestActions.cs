using System.Net;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Rules;

/// <summary>`http-request allow`: stop evaluating http-request rules.</summary>
internal sealed class AllowRule : HttpRequestRule
{
    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        return RuleOutcome.Allow;
    }
}

/// <summary>`http-request deny` and `http-request return`: respond with a fixed status, content type and body.</summary>
internal sealed class RespondRule : HttpRequestRule
{
    public required int Status { get; init; }

    public string? ContentType { get; init; }

    public LogFormat? Body { get; init; }

    /// <summary>"deny" for deny, "allow" for return.</summary>
    public required string Decision { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        var body = Body?.Render(context);
        var reason = body ?? (Decision == "deny" ? "denied by rule" : "answered by rule");
        response = new RuleResponse(Status, ContentType, body, null, Decision, reason);
        return RuleOutcome.Respond;
    }
}

/// <summary>`http-request set-header|add-header|del-header`.</summary>
internal sealed class RequestHeaderRule : HttpRequestRule
{
    public required HeaderOperation Operation { get; init; }

    public required string HeaderName { get; init; }

    public LogFormat? Value { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        Operation.Apply(context.Http.Request.Headers, HeaderName, Value?.Render(context));
        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request set-src EXPR`: a valid address replaces the source; anything else leaves it unchanged.</summary>
internal sealed class SetSourceRule : HttpRequestRule
{
    public required SampleExpression Expression { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        if (IPAddress.TryParse(Expression.FetchString(context), out var address))
        {
            context.Source = address;
        }

        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request set-path FMT`: the query string is kept.</summary>
internal sealed class SetPathRule : HttpRequestRule
{
    public required LogFormat Path { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        context.Path = Path.Render(context);
        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request redirect location|prefix VALUE [code N] [drop-query]`.</summary>
internal sealed class RedirectRule : HttpRequestRule
{
    public required bool IsPrefix { get; init; }

    public required LogFormat Target { get; init; }

    public int Code { get; init; } = 302;

    public bool DropQuery { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        var location = Target.Render(context);
        if (IsPrefix)
        {
            location = location.TrimEnd('/') + context.Path;
            if (!DropQuery && context.Query is not null)
            {
                location += "?" + context.Query;
            }
        }

        response = new RuleResponse(Code, null, null, location, "allow", $"redirect to {location}");
        return RuleOutcome.Respond;
    }
}
