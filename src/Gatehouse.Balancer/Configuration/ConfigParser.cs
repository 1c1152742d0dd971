using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Reads configuration files section by section into a <see cref="BalancerConfig"/>. Every problem is
/// collected; <see cref="Finish"/> throws one <see cref="ConfigException"/> listing all of them.
/// </summary>
internal sealed class ConfigParser
{
    private readonly ConfigErrors _errors = new();
    private readonly ConfigTokenizer _tokenizer;
    private readonly Dictionary<string, ProxySettings> _namedDefaults = new(StringComparer.Ordinal);
    private readonly List<FrontendConfig> _frontends = [];
    private readonly List<BackendConfig> _backends = [];
    private readonly List<string> _globalLogTargets = [];
    private readonly ProxyKeywordParser _keywords;
    private ProxySettings _defaults = new();
    private int? _globalMaxConnections;
    private readonly Caching.CacheRegistry _caches;
    private Caching.CacheSectionParser? _cacheSection;
    private readonly Peers.PeersRegistry _peers;
    private Peers.PeersSectionParser? _peersSection;
    private ProxySection? _section;
    private bool _skippingSection;
    private readonly List<RuntimeApi.StatsSocketSetting> _statsSockets = [];
    private readonly List<(ConfigLocation Location, string Table)> _tableReferences = [];
    private readonly Maps.MapRegistry _maps = new();
    private readonly DecisionsKeywordParser _decisions;

    public ConfigParser(IReadOnlyDictionary<string, string>? variables)
    {
        _tokenizer = new ConfigTokenizer(variables);
        _keywords = new ProxyKeywordParser(_errors);
        _caches = new Caching.CacheRegistry(_errors);
        _peers = new Peers.PeersRegistry(_errors);
        _decisions = new DecisionsKeywordParser(_errors);
    }

    public void ParseFile(string text, string fileName)
    {
        _errors.BeginFile(fileName);
        _section = null;
        _cacheSection = null;
        _peersSection = null;
        _skippingSection = false;
        var baseDirectory = Path.GetDirectoryName(fileName) ?? "";
        StickTables.StickTableReferences.Begin();
        Maps.MapRegistry.BeginParse(_maps);
        _maps.BaseDirectory = baseDirectory;
        try
        {
            foreach (var line in _tokenizer.Tokenize(text, fileName, _errors))
            {
                _maps.CurrentLine = line.Location;
                ParseLine(line, baseDirectory);
                foreach (var table in StickTables.StickTableReferences.Drain())
                {
                    _tableReferences.Add((line.Location, table));
                }
            }
        }
        finally
        {
            StickTables.StickTableReferences.End();
            Maps.MapRegistry.EndParse();
        }
    }

    public BalancerConfig Finish()
    {
        DetachUnboundListens();
        new ConfigValidator(_errors).Validate(_frontends, _backends);
        ModeValidator.Validate(_frontends, _backends, _errors);
        PassiveHealthParser.Validate(_backends, _errors);
        var caches = _caches.Finish(_frontends, _backends);
        var tables = _peers.Resolve(StickTableChecks.Collect(_frontends, _backends, _tableReferences, _errors));
        _errors.ThrowIfAny();
        return new BalancerConfig(_globalMaxConnections, _globalLogTargets, _frontends, _backends)
        {
            Caches = caches,
            StickTables = tables,
            Peers = _peers.Sections,
            StatsSocket = _statsSockets.FirstOrDefault(),
            StatsSockets = _statsSockets,
            Maps = _maps,
            Decisions = _decisions.Finish(),
        };
    }

    /// <summary>
    /// Turns a `listen` section without a `bind` line into a plain backend, as HAProxy does: it accepts no
    /// connections, so its http-request and http-response rules run as backend rules.
    /// </summary>
    private void DetachUnboundListens()
    {
        foreach (var frontend in _frontends.Where(IsUnboundListen).ToList())
        {
            var backend = _backends.First(candidate => candidate.Name == frontend.Name && candidate.Location == frontend.Location);
            backend.RequestRules.InsertRange(0, frontend.RequestRules);
            backend.RedirectRules.InsertRange(0, frontend.RedirectRules);
            backend.ResponseRules.InsertRange(0, frontend.ResponseRules);
            backend.AfterResponseRules.InsertRange(0, frontend.AfterResponseRules);
            backend.CacheStoreRules.InsertRange(0, frontend.CacheStoreRules);
            _frontends.Remove(frontend);
        }
    }

    private static bool IsUnboundListen(FrontendConfig frontend) =>
        frontend.Binds.Count == 0 && frontend.DefaultBackend is { Keyword: "listen" } listen && listen.Name == frontend.Name;

    private void ParseLine(ConfigLine line, string baseDirectory)
    {
        var keyword = line.Keyword;
        if (KeywordCatalog.SectionNames.Contains(keyword))
        {
            StartSection(line, baseDirectory);
        }
        else if (KeywordCatalog.NotSupportedSections.Contains(keyword))
        {
            _errors.Add(line.Location, $"section '{keyword}' is not supported yet; its lines are skipped");
            _section = null;
            _cacheSection = null;
            _peersSection = null;
            _skippingSection = true;
        }
        else if (_skippingSection)
        {
            return;
        }
        else if (_cacheSection is not null)
        {
            _cacheSection.Parse(line);
        }
        else if (_peersSection is not null)
        {
            _peersSection.Parse(line);
        }
        else if (_section is null)
        {
            _errors.Add(line.Location, $"'{keyword}' appears before any section; start one with global, defaults, frontend, backend or listen");
            _skippingSection = true;
        }
        else if (_section.Kind == SectionKinds.Global)
        {
            ParseGlobal(line, baseDirectory);
        }
        else
        {
            _keywords.Parse(line, _section);
        }
    }

    private void StartSection(ConfigLine line, string baseDirectory)
    {
        _skippingSection = false;
        _cacheSection = null;
        _peersSection = null;
        if (line.Keyword == "peers")
        {
            _peersSection = _peers.Start(line);
            _section = null;
            _skippingSection = _peersSection is null;
            return;
        }

        if (line.Keyword == "cache")
        {
            _cacheSection = _caches.Start(line);
            _section = null;
            _skippingSection = _cacheSection is null;
            return;
        }

        var kind = line.Keyword switch
        {
            "global" => SectionKinds.Global,
            "defaults" => SectionKinds.Defaults,
            "frontend" => SectionKinds.Frontend,
            "backend" => SectionKinds.Backend,
            _ => SectionKinds.Listen,
        };
        if (kind == SectionKinds.Global)
        {
            ExpectNoArguments(line);
            _section = new ProxySection(kind, "", new ProxySettings(), baseDirectory);
            return;
        }

        var name = line.Count > 1 ? line[1] : null;
        var inherited = ResolveFrom(line, name);
        if (kind == SectionKinds.Defaults)
        {
            _defaults = inherited;
            if (name is not null)
            {
                _namedDefaults[name] = _defaults;
            }

            _section = new ProxySection(kind, name ?? "", _defaults, baseDirectory);
            return;
        }

        if (name is null)
        {
            _errors.Add(line.Location, $"'{line.Keyword}' expects a name, such as '{line.Keyword} web'");
            _skippingSection = true;
            _section = null;
            return;
        }

        _section = CreateProxy(kind, name, line.Location, inherited, baseDirectory);
    }

    private ProxySettings ResolveFrom(ConfigLine line, string? name)
    {
        var start = name is null ? 1 : 2;
        if (line.Count == start)
        {
            return line.Keyword == "defaults" ? new ProxySettings() : _defaults.Clone();
        }

        if (line.Count == start + 2 && line[start] == "from")
        {
            var parent = line[start + 1];
            if (_namedDefaults.TryGetValue(parent, out var settings))
            {
                return settings.Clone();
            }

            var hint = Suggestions.DidYouMean(parent, _namedDefaults.Keys);
            _errors.Add(line.Location, $"'{line.Keyword}' inherits from defaults '{parent}', which is not defined above{hint}");
            return new ProxySettings();
        }

        _errors.Add(line.Location, $"'{line.Keyword}' expects a name and optionally 'from DEFAULTS', got '{string.Join(' ', line.Words.Skip(1))}'");
        return _defaults.Clone();
    }

    private ProxySection CreateProxy(SectionKinds kind, string name, ConfigLocation location, ProxySettings settings, string baseDirectory)
    {
        var acls = new AclScope($"{(kind == SectionKinds.Listen ? "listen" : kind.ToString().ToLowerInvariant())} '{name}'");
        FrontendConfig? frontend = null;
        BackendConfig? backend = null;
        if (kind.HasFlag(SectionKinds.Frontend))
        {
            frontend = new FrontendConfig(name, location, settings, acls);
            _frontends.Add(frontend);
        }

        if (kind.HasFlag(SectionKinds.Backend))
        {
            backend = new BackendConfig(name, location, settings, acls);
            _backends.Add(backend);
        }

        if (frontend is not null && backend is not null)
        {
            frontend.DefaultBackend = new BackendSwitchRule(location, "listen", name, null, null);
        }

        return new ProxySection(kind, name, settings, baseDirectory) { Frontend = frontend, Backend = backend, Acls = acls };
    }

    private void ParseGlobal(ConfigLine line, string baseDirectory)
    {
        switch (line.Keyword)
        {
            case "maxconn":
                _globalMaxConnections = _keywords.ParseMaxConnections(line) ?? _globalMaxConnections;
                break;
            case "log" when Logging.LogTargetParser.Validate(line, allowGlobal: false, _errors):
                _globalLogTargets.Add(string.Join(' ', line.Words.Skip(1)));
                break;
            case "log":
                break;
            case "stats" when line.Count > 1 && line[1] == "socket":
                ParseStatsSocket(line);
                break;
            case DecisionsKeywordParser.Keyword:
                _decisions.Parse(line, baseDirectory);
                break;
            default:
                var keyword = line.Keyword;
                _errors.Add(line.Location, KeywordCatalog.NotSupportedGlobal.Contains(keyword) || keyword.StartsWith("tune.", StringComparison.Ordinal)
                    ? $"'{keyword}' is not supported yet in the 'global' section"
                    : $"unknown keyword '{keyword}' in 'global' section; expected maxconn, log, stats socket or gatehouse-decisions{Suggestions.DidYouMean(keyword, KeywordCatalog.GlobalKeywords)}");
                break;
        }
    }

    private void ParseStatsSocket(ConfigLine line)
    {
        if (_statsSockets.Count >= RuntimeApi.StatsSocketSetting.MaxSockets)
        {
            _errors.Add(line.Location, $"'stats socket': at most {RuntimeApi.StatsSocketSetting.MaxSockets} runtime API sockets are supported");
            return;
        }

        var problems = new List<string>();
        if (RuntimeApi.StatsSocketSetting.Parse([.. line.Words.Skip(2).Select(word => word.Text)], problems) is { } socket)
        {
            _statsSockets.Add(socket);
        }

        foreach (var problem in problems)
        {
            _errors.Add(line.Location, problem);
        }
    }

    private void ExpectNoArguments(ConfigLine line)
    {
        if (line.Count > 1)
        {
            _errors.Add(line.Location, $"'{line.Keyword}' takes no arguments, got '{line[1]}'");
        }
    }
}
