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

    /// <summary>True for a deny without a body or `hdr` options, which sends the built-in error page.</summary>
    public bool UseErrorPage { get; init; }

    /// <summary>`hdr NAME FMT` options: headers added to the response, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, LogFormat>> Headers { get; init; } = [];

    private KeyValuePair<string, string>[] RenderHeaders(SampleContext context) =>
        [.. Headers.Select(header => new KeyValuePair<string, string>(header.Key, header.Value.Render(context)))];

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        var body = Body?.Render(context);
        if (UseErrorPage)
        {
            // For a deny without a body, HAProxy sends its built-in error page for the status.
            response = Runtime.ErrorPages.For(Status, Decision, "denied by rule") with { Headers = RenderHeaders(context) };
            return RuleOutcome.Respond;
        }

        var reason = body ?? "answered by rule";
        response = new RuleResponse(Status, ContentType, body, null, Decision, reason) { Headers = RenderHeaders(context) };
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

/// <summary>The three forms of a redirect: a fixed location, a prefix before the path, or a new scheme.</summary>
internal enum RedirectKind
{
    Location,
    Prefix,
    Scheme,
}

/// <summary>`http-request redirect` and the proxy-level `redirect`: location, prefix or scheme, with `code N` and `drop-query`.</summary>
internal sealed class RedirectRule : HttpRequestRule
{
    public required RedirectKind Kind { get; init; }

    public required LogFormat Target { get; init; }

    public int Code { get; init; } = 302;

    public bool DropQuery { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        var location = Target.Render(context);
        if (Kind == RedirectKind.Prefix)
        {
            location = location.TrimEnd('/') + PathAndQuery(context);
        }
        else if (Kind == RedirectKind.Scheme)
        {
            // HAProxy keeps the Host header as received, port included, and leaves the authority empty without one.
            location = $"{location}://{context.Http.Request.Headers.Host}{PathAndQuery(context)}";
        }

        response = new RuleResponse(Code, null, null, location, "allow", $"redirect to {location}");
        return RuleOutcome.Respond;
    }

    private string PathAndQuery(SampleContext context) =>
        DropQuery || context.Query is null ? context.Path : string.Concat(context.Path, "?", context.Query);
}
