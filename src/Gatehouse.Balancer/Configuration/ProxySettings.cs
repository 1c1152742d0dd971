using System.Net;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Settings a frontend or backend inherits from its defaults section and may override:
/// timeouts, connection limit and the HTTP options.
/// </summary>
public sealed class ProxySettings
{
    /// <summary>`mode http` (the default) or `mode tcp`.</summary>
    public ProxyMode Mode { get; internal set; }

    public TimeSpan? ConnectTimeout { get; internal set; }

    public TimeSpan? ClientTimeout { get; internal set; }

    public TimeSpan? ServerTimeout { get; internal set; }

    /// <summary>The longest a request waits for a free server slot; when unset, the connect timeout applies, as in HAProxy.</summary>
    public TimeSpan? QueueTimeout { get; internal set; }

    public TimeSpan? HttpRequestTimeout { get; internal set; }

    public TimeSpan? HttpKeepAliveTimeout { get; internal set; }

    /// <summary>The inactivity timeout of a `mode tcp` connection once it reaches a server; HTTP upgrades use the server timeout.</summary>
    public TimeSpan? TunnelTimeout { get; internal set; }

    public int? MaxConnections { get; internal set; }

    /// <summary>The `balance` algorithm; set in a backend or inherited from defaults, and unused by frontends.</summary>
    public BalanceAlgorithm Balance { get; internal set; } = BalanceAlgorithm.RoundRobin;

    /// <summary>The parameter name of `balance url_param NAME` or the header name of `balance hdr(NAME)`.</summary>
    public string? BalanceKey { get; internal set; }

    /// <summary>The options of `balance uri`.</summary>
    public UriHashOptions UriHash { get; internal set; } = new(false, 0, 0);

    /// <summary>`hash-type consistent`; false for HAProxy's default, map-based.</summary>
    public bool ConsistentHash { get; internal set; }

    internal LoadBalancing.HashFunction HashFunction { get; set; }

    /// <summary>The `option forwardfor` setting, or null when the option is off.</summary>
    public ForwardForOption? ForwardFor { get; internal set; }

    /// <summary>`monitor-uri PATH`: a request for exactly this path gets 200 from the frontend and is not forwarded.</summary>
    public string? MonitorUri { get; internal set; }

    public bool HttpLog { get; internal set; }

    public bool HttpServerClose { get; internal set; }

    public bool HttpKeepAlive { get; internal set; }

    /// <summary>`retries`: how many times a failed attempt is retried; HAProxy's default is 3.</summary>
    public int Retries { get; internal set; } = 3;

    /// <summary>`retry-on`: which failures are retried; HAProxy's default is conn-failure.</summary>
    public RetryConditions RetryOn { get; internal set; } = RetryConditions.ConnectionFailure;

    /// <summary>
    /// `option redispatch [INTERVAL]`: 0 when off (retries stay on the same server), 1 to move every retry to
    /// another server, N to move every Nth retry, -1 to move only the last retry.
    /// </summary>
    public int RedispatchInterval { get; internal set; }

    /// <summary>The `option httpchk` request amended by `http-check send`, or null when checks are TCP connects.</summary>
    public HttpCheckRequest? HttpCheck => HttpCheckOption is { } option ? HttpCheckSend?.ApplyTo(option) ?? option : null;

    internal HttpCheckRequest? HttpCheckOption { get; set; }

    internal HttpCheckSend? HttpCheckSend { get; set; }

    /// <summary>The `http-check expect` line, or null to pass any 2xx or 3xx status.</summary>
    public HttpCheckExpect? HttpCheckExpect { get; internal set; }

    /// <summary>Where an `http-check` line was read, so a backend without `option httpchk` can be reported.</summary>
    internal ConfigLocation? HttpCheckRuleLocation { get; set; }

    /// <summary>`log` lines as written, validated at load; `log global` refers to the global section's lines.</summary>
    public IReadOnlyList<string> LogTargets { get; internal set; } = [];

    /// <summary>The `log-format` line, or null to use `option httplog` or HAProxy's default TCP format.</summary>
    internal Rules.LogFormat? AccessLogFormat { get; set; }

    /// <summary>`option allbackups`: when no active server is usable, balance over every usable backup, not just the first.</summary>
    public bool AllBackups { get; internal set; }

    /// <summary>`errorfile CODE FILE` responses by code; replaced, never mutated, so clones share it safely.</summary>
    internal IReadOnlyDictionary<int, ErrorFile> ErrorFiles { get; set; } = new Dictionary<int, ErrorFile>();

    /// <summary>The `cookie` persistence setting, or null when requests are not kept on a server by cookie.</summary>
    public CookieSettings? Cookie { get; internal set; }

    /// <summary>The `stats` lines, or null when the frontend serves no stats page.</summary>
    public Stats.StatsSettings? Stats { get; internal set; }

    /// <summary>The `compression` lines, or null when responses are not compressed.</summary>
    public CompressionSettings? Compression { get; internal set; }

    internal ProxySettings Clone() => (ProxySettings)MemberwiseClone();
}

/// <summary>What a proxy forwards: HTTP requests, or the bytes of each TCP connection.</summary>
public enum ProxyMode
{
    Http,
    Tcp,
}

/// <summary>`option forwardfor [except NETWORK] [header NAME] [if-none]`.</summary>
public sealed record ForwardForOption(string HeaderName, IPNetwork? Except, bool IfNone)
{
    public const string DefaultHeaderName = "X-Forwarded-For";
}

/// <summary>The `balance` algorithms; HAProxy's meaning for each.</summary>
public enum BalanceAlgorithm
{
    /// <summary>Smooth weighted round robin.</summary>
    RoundRobin,

    /// <summary>Weighted round robin over a fixed order computed at start.</summary>
    StaticRoundRobin,

    /// <summary>The server with the fewest active requests relative to its weight.</summary>
    LeastConnections,

    /// <summary>The first server, in declaration order, with a free connection slot.</summary>
    First,

    /// <summary>The less loaded of two weighted random draws.</summary>
    Random,

    /// <summary>A hash of the source address over the weighted servers.</summary>
    Source,

    /// <summary>A hash of the path, or of the whole URI with `whole`.</summary>
    Uri,

    /// <summary>A hash of one query parameter's value; round robin when it is missing.</summary>
    UrlParameter,

    /// <summary>A hash of one header's value; round robin when it is missing.</summary>
    Header,
}

/// <summary>`balance uri [whole] [len N] [depth N]`: 0 means no limit for <see cref="Length"/> and <see cref="Depth"/>.</summary>
public sealed record UriHashOptions(bool Whole, int Length, int Depth);
