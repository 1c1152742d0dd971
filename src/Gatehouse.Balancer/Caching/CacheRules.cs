using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Caching;

/// <summary>`http-request cache-use NAME [if|unless COND]`: answers from the cache on a hit and stops the rules.</summary>
internal sealed class CacheUseRule : HttpRequestRule
{
    public required string CacheName { get; init; }

    /// <summary>The cache named by <see cref="CacheName"/>, set once every section has been read.</summary>
    public ObjectCache? Cache { get; set; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        var request = context.Http.Request;
        if (Cache is not { } cache || !CachePolicy.MayServe(request) || cache.Get(CachePolicy.Key(request, context.Target)) is not { } hit)
        {
            return RuleOutcome.Continue;
        }

        var age = (long)Math.Max(0, (cache.Time.GetUtcNow() - hit.StoredAt).TotalSeconds);
        var headers = new List<KeyValuePair<string, string>>(hit.Headers.Length + 1);
        headers.AddRange(hit.Headers);
        headers.Add(new("Age", age.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        response = new RuleResponse(hit.Status, null, null, null, "cache", $"cache '{CacheName}' hit") { Headers = headers, RawBody = hit.Body };
        return RuleOutcome.Respond;
    }
}

/// <summary>`http-response cache-store NAME [if|unless COND]`: stores an eligible response in the named cache.</summary>
internal sealed class CacheStoreRule : HttpRule
{
    public required string CacheName { get; init; }

    /// <summary>The cache named by <see cref="CacheName"/>, set once every section has been read.</summary>
    public ObjectCache? Cache { get; set; }

    /// <summary>Returns the cache of the first rule whose condition holds, the backend's rules first; null for none.</summary>
    public static ObjectCache? Select(List<CacheStoreRule> backendRules, List<CacheStoreRule> frontendRules, SampleContext sample)
    {
        foreach (var rule in backendRules)
        {
            if (rule.Applies(sample))
            {
                return rule.Cache;
            }
        }

        foreach (var rule in frontendRules)
        {
            if (rule.Applies(sample))
            {
                return rule.Cache;
            }
        }

        return null;
    }
}
