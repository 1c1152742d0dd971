using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Caching;

/// <summary>Parses the arguments of `http-request cache-use` and `http-response cache-store`.</summary>
internal static class CacheRuleParser
{
    public static CacheUseRule? ParseCacheUse(List<string> args, List<string> problems)
    {
        if (args.Count != 1)
        {
            problems.Add("expects one cache name, such as 'http-request cache-use static'");
            return null;
        }

        return new CacheUseRule { CacheName = args[0] };
    }

    /// <summary>Parses `http-response cache-store NAME [if|unless COND]`.</summary>
    public static CacheStoreRule? ParseCacheStore(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        if (!HttpRuleParser.TrySplitCondition(line, 2, "http-response cache-store", scope, baseDirectory, problems, out var args, out var condition))
        {
            return null;
        }

        if (args.Count != 1)
        {
            problems.Add("expects one cache name, such as 'http-response cache-store static'");
            return null;
        }

        return new CacheStoreRule { CacheName = args[0], Location = line.Location, Keyword = "http-response cache-store", Condition = condition };
    }
}
