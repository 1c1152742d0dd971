using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Configuration;

/// <summary>A parsed and validated balancer configuration, ready for <see cref="Runtime.BalancerHost"/>.</summary>
public sealed class BalancerConfig
{
    internal BalancerConfig(int? maxConnections, IReadOnlyList<string> logTargets, IReadOnlyList<FrontendConfig> frontends, IReadOnlyList<BackendConfig> backends)
    {
        MaxConnections = maxConnections;
        LogTargets = logTargets;
        Frontends = frontends;
        Backends = backends;
    }

    /// <summary>The global `maxconn`, or null when unset.</summary>
    public int? MaxConnections { get; }

    /// <summary>Global `log` lines as written; proxies use them through `log global`.</summary>
    public IReadOnlyList<string> LogTargets { get; }

    public IReadOnlyList<FrontendConfig> Frontends { get; }

    public IReadOnlyList<BackendConfig> Backends { get; }

    /// <summary>The `cache` sections by name.</summary>
    internal IReadOnlyDictionary<string, Caching.ObjectCache> Caches { get; init; } = new Dictionary<string, Caching.ObjectCache>();

    /// <summary>Every `stick-table` line, in declaration order; each table is named after its section.</summary>
    public IReadOnlyList<StickTables.StickTableDefinition> StickTables { get; init; } = [];

    /// <summary>The `peers` sections by name.</summary>
    public IReadOnlyDictionary<string, Peers.PeersSection> Peers { get; init; } = new Dictionary<string, Peers.PeersSection>();

    /// <summary>The first global `stats socket` line, or null when the runtime API is off.</summary>
    public RuntimeApi.StatsSocketSetting? StatsSocket { get; init; }

    /// <summary>Every global `stats socket` line, in order; each may have its own `level`.</summary>
    public IReadOnlyList<RuntimeApi.StatsSocketSetting> StatsSockets { get; init; } = [];

    /// <summary>The map files that `map*` converters loaded, which the runtime API's map commands change.</summary>
    internal Maps.MapRegistry Maps { get; init; } = new();

    /// <summary>The decision-record destinations of the global <c>gatehouse-decisions</c> lines; empty when there are none.</summary>
    public Gatehouse.Telemetry.Decisions.DecisionSinkOptions Decisions { get; init; } = new();

    public BackendConfig? FindBackend(string name) => Backends.FirstOrDefault(backend => backend.Name == name);
}

/// <summary>A `frontend` section, or the frontend half of a `listen` section.</summary>
public sealed class FrontendConfig
{
    internal FrontendConfig(string name, ConfigLocation location, ProxySettings settings, AclScope acls)
    {
        Name = name;
        Location = location;
        Settings = settings;
        Acls = acls;
    }

    public string Name { get; }

    public ConfigLocation Location { get; }

    public ProxySettings Settings { get; }

    public IReadOnlyList<BindAddress> Binds => BindList;

    /// <summary>The `edge-assertion` line, or null when the frontend does not read edge assertions.</summary>
    public EdgeAssertionSetting? EdgeAssertion { get; internal set; }

    internal List<BindAddress> BindList { get; } = [];

    /// <summary>The section's `stick-table`, the default table of its track-sc rules and src_* fetches.</summary>
    public StickTables.StickTableDefinition? StickTable { get; internal set; }

    internal AclScope Acls { get; }

    internal List<HttpRequestRule> RequestRules { get; } = [];

    /// <summary>Proxy-level `redirect` lines, which HAProxy runs after all http-request rules.</summary>
    internal List<HttpRequestRule> RedirectRules { get; } = [];

    internal List<ResponseHeaderRule> ResponseRules { get; } = [];

    internal List<AfterResponseRule> AfterResponseRules { get; } = [];

    internal List<Caching.CacheStoreRule> CacheStoreRules { get; } = [];

    /// <summary>`capture request header` lines, in order; `capture.req.hdr(N)` reads the Nth.</summary>
    internal List<HeaderCapture> RequestCaptures { get; } = [];

    /// <summary>`capture response header` lines, in order; `capture.res.hdr(N)` reads the Nth.</summary>
    internal List<HeaderCapture> ResponseCaptures { get; } = [];

    internal List<BackendSwitchRule> SwitchRules { get; } = [];

    internal BackendSwitchRule? DefaultBackend { get; set; }

    /// <summary>`tcp-request connection` lines, run once when a connection is accepted.</summary>
    internal List<Rules.TcpRequestRule> TcpConnectionRules { get; } = [];

    /// <summary>`tcp-request content` lines, run once per request in mode http and once per connection in mode tcp.</summary>
    internal List<Rules.TcpRequestRule> TcpContentRules { get; } = [];

    /// <summary>
    /// `tcp-request inspect-delay`, or null when unset. NOTE: no supported fetch waits for request data, so content
    /// rules run at once and the delay never applies.
    /// </summary>
    internal TimeSpan? InspectDelay { get; set; }
}

/// <summary>A `backend` section, or the backend half of a `listen` section.</summary>
public sealed class BackendConfig
{
    internal BackendConfig(string name, ConfigLocation location, ProxySettings settings, AclScope acls)
    {
        Name = name;
        Location = location;
        Settings = settings;
        Acls = acls;
    }

    public string Name { get; }

    public ConfigLocation Location { get; }

    public ProxySettings Settings { get; }

    public BalanceAlgorithm Balance => Settings.Balance;

    public IReadOnlyList<ServerConfig> Servers => ServerList;

    internal List<ServerConfig> ServerList { get; } = [];

    /// <summary>The section's `stick-table`, the default table of its rules and `stick` lines.</summary>
    public StickTables.StickTableDefinition? StickTable { get; internal set; }

    /// <summary>`stick on`, `stick match` and `stick store-request` lines, in order.</summary>
    internal List<StickTables.StickPersistenceRule> StickRules { get; } = [];

    internal AclScope Acls { get; }

    internal List<HttpRequestRule> RequestRules { get; } = [];

    /// <summary>Proxy-level `redirect` lines, which HAProxy runs after all http-request rules.</summary>
    internal List<HttpRequestRule> RedirectRules { get; } = [];

    internal List<ResponseHeaderRule> ResponseRules { get; } = [];

    internal List<AfterResponseRule> AfterResponseRules { get; } = [];

    internal List<Caching.CacheStoreRule> CacheStoreRules { get; } = [];
}

/// <summary>One address of a `bind` line. <see cref="Host"/> is null for all addresses; port 0 picks a free port.</summary>
public sealed record BindAddress(string? Host, int Port, ConfigLocation Location)
{
    /// <summary>The `ssl crt ...` options of the bind line, or null when the bind accepts plain TCP.</summary>
    public Tls.BindTlsSettings? Tls { get; init; }
}

/// <summary>A `server` line.</summary>
public sealed record ServerConfig(
    string Name, string Host, int Port, int Weight, int? MaxConnections, bool Backup, bool Disabled, ConfigLocation Location)
{
    /// <summary>The `check` settings, or null when the server is not health checked.</summary>
    public ServerCheckSettings? Check { get; init; }

    /// <summary>`maxqueue`: requests that may wait for this server; null or 0 means no limit.</summary>
    public int? MaxQueue { get; init; }

    /// <summary>`cookie VALUE`: the persistence cookie value naming this server, or null when it has none.</summary>
    public string? Cookie { get; init; }

    /// <summary>The `ssl` options of the server line, or null when the server is reached over plain TCP.</summary>
    public Tls.ServerTlsSettings? Tls { get; init; }

    /// <summary>`proto h2`: requests go to this server over HTTP/2 (h2c without `ssl`).</summary>
    public bool Http2 { get; init; }

    /// <summary>`observe`, `error-limit` and `on-error`, or null when the server line has none of them.</summary>
    public PassiveHealthSettings? PassiveHealth { get; init; }
}

/// <summary>`edge-assertion require|optional jwks URL`: whether a valid assertion is required and where its keys are published.</summary>
public sealed record EdgeAssertionSetting(bool Required, Uri JwksUri, ConfigLocation Location);

/// <summary>A `use_backend` or `default_backend` line; the name is either fixed or a log-format expression.</summary>
internal sealed record BackendSwitchRule(ConfigLocation Location, string Keyword, string? Name, LogFormat? DynamicName, Condition? Condition)
{
    public string RuleName => $"{Location} {Keyword}";
}
