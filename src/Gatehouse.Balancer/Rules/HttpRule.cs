using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Rules;

/// <summary>What the proxy does after a rule ran.</summary>
internal enum RuleOutcome
{
    /// <summary>Go on with the next rule.</summary>
    Continue,

    /// <summary>Stop evaluating http-request rules and route the request.</summary>
    Allow,

    /// <summary>Answer the client with the rule's <see cref="RuleResponse"/> and do not forward.</summary>
    Respond,
}

/// <summary>A response a rule sends instead of forwarding: deny, return or redirect.</summary>
internal sealed record RuleResponse(int Status, string? ContentType, string? Body, string? Location, string Decision, string Reason)
{
    /// <summary>The Cache-Control value, or null to send none.</summary>
    public string? CacheControl { get; init; }

    /// <summary>Extra headers added by `hdr NAME FMT` options, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A binary body, such as a cached object's, sent instead of <see cref="Body"/>; null for none.</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>An `errorfile` response sent instead of the fields above, or null for none.</summary>
    public Configuration.ErrorFile? File { get; init; }
}

/// <summary>
/// One `http-request` or `http-response` line. <see cref="Location"/> and <see cref="Keyword"/> name the
/// rule in decision records, such as "haproxy.cfg:31 http-request deny".
/// </summary>
internal abstract class HttpRule
{
    public ConfigLocation Location { get; set; }

    public string Keyword { get; set; } = "";

    public Condition? Condition { get; set; }

    public string Name => $"{Location} {Keyword}";

    public bool Applies(SampleContext context) => Condition?.Evaluate(context) ?? true;
}

/// <summary>An `http-request` action.</summary>
internal abstract class HttpRequestRule : HttpRule
{
    public abstract RuleOutcome Execute(SampleContext context, out RuleResponse? response);
}
