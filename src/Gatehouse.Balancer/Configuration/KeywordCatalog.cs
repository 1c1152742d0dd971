namespace Gatehouse.Balancer.Configuration;

/// <summary>Sections in which a keyword may appear.</summary>
[Flags]
internal enum SectionKinds
{
    None = 0,
    Global = 1,
    Defaults = 2,
    Frontend = 4,
    Backend = 8,
    Listen = Frontend | Backend,
    Proxies = Defaults | Frontend | Backend,
}

/// <summary>
/// Which keywords each section accepts, and the HAProxy keywords that are recognised but not supported
/// yet, so that their message reads "not supported yet" instead of "unknown keyword".
/// </summary>
internal static class KeywordCatalog
{
    public static readonly IReadOnlyDictionary<string, SectionKinds> ProxyKeywords = new Dictionary<string, SectionKinds>
    {
        ["mode"] = SectionKinds.Proxies,
        ["timeout"] = SectionKinds.Proxies,
        ["option"] = SectionKinds.Proxies,
        ["log"] = SectionKinds.Proxies,
        ["log-format"] = SectionKinds.Defaults | SectionKinds.Frontend,
        ["maxconn"] = SectionKinds.Defaults | SectionKinds.Frontend,
        ["balance"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["hash-type"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["acl"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["http-request"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["http-response"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["redirect"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["bind"] = SectionKinds.Frontend,
        ["use_backend"] = SectionKinds.Frontend,
        ["default_backend"] = SectionKinds.Frontend,
        ["edge-assertion"] = SectionKinds.Frontend,
        ["monitor-uri"] = SectionKinds.Defaults | SectionKinds.Frontend,
        ["server"] = SectionKinds.Backend,
        ["retries"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["retry-on"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["http-check"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["errorfile"] = SectionKinds.Proxies,
        ["cookie"] = SectionKinds.Defaults | SectionKinds.Backend,
        ["http-after-response"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["capture"] = SectionKinds.Frontend,
        ["compression"] = SectionKinds.Proxies,
        ["stats"] = SectionKinds.Defaults | SectionKinds.Frontend,
        ["stick-table"] = SectionKinds.Frontend | SectionKinds.Backend,
        ["stick"] = SectionKinds.Backend,
        ["tcp-request"] = SectionKinds.Frontend,
    };

    public static readonly string[] GlobalKeywords = ["maxconn", "log", "stats", "gatehouse-decisions"];

    public static readonly string[] SectionNames = ["global", "defaults", "frontend", "backend", "listen", "cache", "peers"];

    public static readonly HashSet<string> NotSupportedSections = new(StringComparer.Ordinal)
    {
        "resolvers", "userlist", "mailers", "program", "http-errors", "ring", "log-forward", "crt-store",
    };

    public static readonly HashSet<string> NotSupportedGlobal = new(StringComparer.Ordinal)
    {
        "daemon", "nbthread", "nbproc", "user", "group", "uid", "gid", "chroot", "pidfile", "stats", "master-worker",
        "ssl-default-bind-options", "ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites", "ssl-default-server-options",
        "ssl-default-server-ciphers", "ssl-dh-param-file", "lua-load", "hard-stop-after", "spread-checks", "ca-base",
        "crt-base", "localpeer", "setenv", "presetenv", "resetenv", "unsetenv", "server-state-file", "server-state-base",
        "log-send-hostname", "node", "description", "maxconnrate", "maxsslconn", "maxsessrate", "ulimit-n", "quiet",
        "cpu-map", "expose-experimental-directives", "insecure-fork-wanted", "h1-case-adjust", "log-tag",
    };

    public static readonly HashSet<string> NotSupportedProxy = new(StringComparer.Ordinal)
    {
        "filter",
        "tcp-response", "errorfiles", "errorloc", "errorloc302", "errorloc303",
        "unique-id-format", "unique-id-header", "fullconn", "hash-balance-factor",
        "default-server", "http-reuse", "server-template", "monitor",
        "log-format-sd", "error-log-format", "description", "id", "disabled", "enabled", "no", "force-persist",
        "ignore-persist", "persist", "dispatch", "source", "http-error", "email-alert", "rate-limit",
        "max-keep-alive-queue", "dynamic-cookie-key", "declare", "use-server", "log-tag", "external-check",
        "load-server-state-from-file", "server-state-file-name", "http-send-name-header", "bind-process", "grace",
        "backlog",
    };

    public static readonly string[] Options = ["forwardfor", "httplog", "http-server-close", "http-keep-alive", "httpchk", "redispatch", "allbackups"];

    public static readonly HashSet<string> NotSupportedOptions = new(StringComparer.Ordinal)
    {
        "abortonclose", "http-no-delay", "tcplog", "dontlognull", "log-health-checks",
        "persist", "splice-auto", "splice-request", "splice-response", "tcpka", "clitcpka", "srvtcpka",
        "originalto", "http-pretend-keepalive", "httpclose", "ssl-hello-chk", "redis-check", "mysql-check", "pgsql-check",
        "smtpchk", "ldap-check", "tcp-check", "external-check", "log-separate-errors", "logasap", "http-use-htx",
        "http-buffer-request", "http-ignore-probes", "prefer-last-server", "socket-stats", "independent-streams",
        "accept-invalid-http-request", "accept-invalid-http-response", "h1-case-adjust-bogus-client",
        "h1-case-adjust-bogus-server", "nolinger", "transparent", "checkcache", "disable-h2-upgrade", "contstats",
        "dontlog-normal", "spop-check", "idle-close-on-response", "forwarded", "http-restrict-req-hdr-names",
    };

    public static readonly IReadOnlyDictionary<string, Action<ProxySettings, TimeSpan>> Timeouts =
        new Dictionary<string, Action<ProxySettings, TimeSpan>>
        {
            ["connect"] = (settings, value) => settings.ConnectTimeout = value,
            ["client"] = (settings, value) => settings.ClientTimeout = value,
            ["server"] = (settings, value) => settings.ServerTimeout = value,
            ["queue"] = (settings, value) => settings.QueueTimeout = value,
            ["http-request"] = (settings, value) => settings.HttpRequestTimeout = value,
            ["http-keep-alive"] = (settings, value) => settings.HttpKeepAliveTimeout = value,
            ["tunnel"] = (settings, value) => settings.TunnelTimeout = value,
        };

    public static readonly HashSet<string> NotSupportedTimeouts = new(StringComparer.Ordinal)
    {
        "check", "client-fin", "server-fin", "tarpit", "client-hs",
    };

    public static readonly IReadOnlyDictionary<string, BalanceAlgorithm> Balances = new Dictionary<string, BalanceAlgorithm>
    {
        ["roundrobin"] = BalanceAlgorithm.RoundRobin,
        ["static-rr"] = BalanceAlgorithm.StaticRoundRobin,
        ["leastconn"] = BalanceAlgorithm.LeastConnections,
        ["first"] = BalanceAlgorithm.First,
        ["random"] = BalanceAlgorithm.Random,
        ["source"] = BalanceAlgorithm.Source,
    };

    /// <summary>Every algorithm `balance` accepts, for messages.</summary>
    public static readonly string[] BalanceNames = [.. Balances.Keys, "uri", "url_param", "hdr(NAME)"];

    public static readonly HashSet<string> NotSupportedBalances = new(StringComparer.Ordinal)
    {
        "rdp-cookie", "hash",
    };

    public static readonly string[] ServerOptions =
        [
            "weight", "maxconn", "maxqueue", "backup", "disabled", "check", "inter", "fastinter", "downinter", "rise", "fall", "cookie",
            "ssl", "verify", "ca-file", "sni", "verifyhost", "alpn", "crt", "check-ssl", "proto",
            "observe", "error-limit", "on-error",
        ];

    public static readonly HashSet<string> NotSupportedServerOptions = new(StringComparer.Ordinal)
    {
        "send-proxy", "send-proxy-v2", "resolvers", "resolve-prefer", "init-addr", "slowstart",
        "agent-check", "agent-port", "agent-inter", "track",
        "minconn", "redir", "port", "addr", "check-sni", "no-ssl", "no-verifyhost", "ciphers", "ciphersuites", "crl-file",
        "ssl-min-ver", "ssl-max-ver", "ssl-reuse", "no-ssl-reuse", "force-tlsv12", "force-tlsv13", "npn", "check-alpn", "pool-max-conn", "pool-purge-delay",
        "id", "enabled", "no-check", "tfo", "ws", "usesrc", "source", "namespace",
    };
}
