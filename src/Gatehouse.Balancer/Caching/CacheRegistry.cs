using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Caching;

/// <summary>Collects the `cache` sections of a configuration and binds the cache-use and cache-store rules to them.</summary>
internal sealed class CacheRegistry(ConfigErrors errors)
{
    private readonly List<CacheSectionParser> _sections = [];
    private readonly Dictionary<string, ConfigLocation> _names = new(StringComparer.Ordinal);

    /// <summary>Starts a `cache NAME` section and returns the parser for its lines, or null when the line is invalid.</summary>
    public CacheSectionParser? Start(ConfigLine line)
    {
        if (line.Count != 2)
        {
            errors.Add(line.Location, "'cache' expects one name, such as 'cache static'");
            return null;
        }

        if (_names.TryGetValue(line[1], out var existing))
        {
            errors.Add(line.Location, $"cache '{line[1]}' is already defined at {existing}");
            return null;
        }

        _names[line[1]] = line.Location;
        var parser = new CacheSectionParser(line[1], line.Location, errors);
        _sections.Add(parser);
        return parser;
    }

    /// <summary>Builds the caches and points every cache rule at its cache, reporting names that are not defined.</summary>
    public Dictionary<string, ObjectCache> Finish(IEnumerable<FrontendConfig> frontends, IEnumerable<BackendConfig> backends)
    {
        var caches = new Dictionary<string, ObjectCache>(StringComparer.Ordinal);
        foreach (var section in _sections)
        {
            if (section.Finish() is { } settings)
            {
                caches[settings.Name] = new ObjectCache(settings, TimeProvider.System);
            }
        }

        foreach (var frontend in frontends)
        {
            Bind(caches, frontend.RequestRules, frontend.CacheStoreRules);
        }

        foreach (var backend in backends)
        {
            Bind(caches, backend.RequestRules, backend.CacheStoreRules);
        }

        return caches;
    }

    private void Bind(Dictionary<string, ObjectCache> caches, List<Rules.HttpRequestRule> requestRules, List<CacheStoreRule> storeRules)
    {
        foreach (var rule in requestRules)
        {
            if (rule is CacheUseRule use)
            {
                use.Cache = Find(caches, use.CacheName, use);
            }
        }

        foreach (var rule in storeRules)
        {
            rule.Cache = Find(caches, rule.CacheName, rule);
        }
    }

    private ObjectCache? Find(Dictionary<string, ObjectCache> caches, string name, Rules.HttpRule rule)
    {
        if (caches.TryGetValue(name, out var cache))
        {
            return cache;
        }

        if (!_names.ContainsKey(name))
        {
            errors.Add(rule.Location, $"'{rule.Keyword}' names cache '{name}', which is not defined; add a 'cache {name}' section"
                + Suggestions.DidYouMean(name, _names.Keys));
        }

        return null;
    }
}
