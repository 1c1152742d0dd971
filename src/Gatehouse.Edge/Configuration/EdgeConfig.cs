using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.RateLimiting;
using Gatehouse.Trust.Identity;

namespace Gatehouse.Edge.Configuration;

/// <summary>The edge's configuration, loaded from edge.toml and validated as a whole.</summary>
public sealed class EdgeConfig
{
    /// <summary>Path of the file this was loaded from, for messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Listen address as host:port; port 0 picks a free port.</summary>
    public required string Listen { get; init; }

    /// <summary>Base URL of the balancer that receives vetted dynamic traffic.</summary>
    public required Uri BalancerUrl { get; init; }

    /// <summary>
    /// True when the edge listens on <see cref="Listen"/>: when edge.toml sets [edge] listen or has no [[listeners]].
    /// </summary>
    public bool ServesEdgeListen { get; init; } = true;

    /// <summary>The <c>[[listeners]]</c> in file order, after the <see cref="Listen"/> listener.</summary>
    public IReadOnlyList<EdgeListenerConfig> Listeners { get; init; } = [];

    /// <summary>How the edge verifies the balancer and which client certificate it presents; null for plain http.</summary>
    public BalancerTlsConfig? BalancerTls { get; init; }

    /// <summary>Forwards to the balancer over HTTP/2 only (ALPN h2 with https, prior knowledge with http).</summary>
    public bool BalancerHttp2 { get; init; }

    /// <summary>Time allowed for the balancer to respond before the edge returns 504.</summary>
    public TimeSpan BalancerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Folder holding the edge-assertion signing keys; null means the caller chooses one.</summary>
    public string? KeyDirectory { get; init; }

    /// <summary>Lifetime of each edge assertion.</summary>
    public TimeSpan AssertionLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a new assertion signing key replaces the current one.</summary>
    public TimeSpan KeyRotationInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a new key is published before it signs, so every verifier has fetched it first.</summary>
    public TimeSpan KeyActivationDelay { get; init; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<OidcProviderOptions> Providers { get; init; } = [];

    /// <summary>Routes in file order; the first whose prefix matches the request path wins.</summary>
    public IReadOnlyList<EdgeRoute> Routes { get; init; } = [];

    public EdgeLimits Limits { get; init; } = new();

    public HeaderPolicy Headers { get; init; } = new();

    /// <summary>How the edge normalizes the request path before routing; the balancer still gets the raw target.</summary>
    public PathNormalization Paths { get; init; } = new();

    /// <summary>Rate limits in file order. The first rule that blocks a request returns 429.</summary>
    public IReadOnlyList<RateLimitRule> RateLimits { get; init; } = [];

    /// <summary>Feedback rules in file order: balancer stick table conditions that put keys in the penalty box.</summary>
    public IReadOnlyList<Gatehouse.Edge.Feedback.FeedbackRule> Feedback { get; init; } = [];

    /// <summary>A/B experiments; a request gets one variant of every experiment whose prefix matches.</summary>
    public IReadOnlyList<Experiment> Experiments { get; init; } = [];

    /// <summary>Browser sign-in for protected routes; null when edge.toml has no [sessions] section.</summary>
    public SessionConfig? Sessions { get; init; }

    /// <summary>
    /// The Redis that holds rate counters and the penalty box (and the key ring when <see cref="KeyStore"/> is
    /// Redis); null when edge.toml has no [redis] section, so they stay in this process.
    /// </summary>
    public Gatehouse.Signals.Redis.RedisOptions? Redis { get; init; }

    /// <summary>Where the assertion key ring lives: "directory" (default) or "redis", from [keys] store.</summary>
    public KeyStoreKind KeyStore { get; init; } = KeyStoreKind.Directory;

    /// <summary>Line of the [redis] section, for messages about a connection that fails at start.</summary>
    public int RedisLine { get; init; }

    /// <summary>The metrics listener of [metrics]; null when edge.toml has no such section, so no listener opens.</summary>
    public MetricsConfig? Metrics { get; init; }

    /// <summary>The <c>[telemetry]</c> OTLP span export, or null when edge.toml sets no <c>otlp_endpoint</c>.</summary>
    public Gatehouse.Telemetry.Tracing.OtlpTraceOptions? OtlpTraces { get; init; }

    /// <summary>The <c>[decisions]</c> destinations for decision records; empty when edge.toml has no such section.</summary>
    public Gatehouse.Telemetry.Decisions.DecisionSinkOptions Decisions { get; init; } = new();
}

/// <summary>Where the edge keeps its assertion key ring.</summary>
public enum KeyStoreKind
{
    /// <summary>Files in <see cref="EdgeConfig.KeyDirectory"/>, or a folder the caller chooses.</summary>
    Directory,

    /// <summary>The Redis of [redis], shared by every edge on it.</summary>
    Redis,
}

/// <summary>
/// Which inbound request headers reach the balancer, on top of the spoofable headers the edge always removes.
/// A name ending in <c>*</c> matches every header that starts with the rest.
/// </summary>
public sealed class HeaderPolicy
{
    /// <summary>Headers HTTP and authentication need; an allow list never removes them.</summary>
    public static readonly IReadOnlyList<string> Essential =
        ["Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Authorization"];

    /// <summary>Headers removed before forwarding.</summary>
    public IReadOnlyList<string> Deny { get; init; } = [];

    /// <summary>When not empty, only these headers (plus <see cref="Essential"/>) are forwarded.</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary>What happens to a header whose name contains '_'; default <see cref="UnderscoreHeaders.Drop"/>.</summary>
    public UnderscoreHeaders Underscores { get; init; } = UnderscoreHeaders.Drop;

    /// <summary>Removes leading and trailing spaces and tabs from every header value; default true.</summary>
    public bool TrimValues { get; init; } = true;

    /// <summary>
    /// Joins repeated lines of a comma-separated list header (Accept, Cache-Control, ...) into one value;
    /// default true. Cookie, Set-Cookie and every header outside the list are never merged.
    /// </summary>
    public bool MergeDuplicates { get; init; } = true;
}

/// <summary>How the edge treats requests under one path prefix.</summary>
public enum RouteKind
{
    /// <summary>Served by the edge from a folder; never forwarded.</summary>
    Static,

    /// <summary>Forwarded without requiring a token.</summary>
    Public,

    /// <summary>Forwarded only with a valid bearer token; 401 otherwise.</summary>
    Protected,

    /// <summary>Answered by a Fastly Compute guest that runs in the edge; see <see cref="GuestRoute"/>.</summary>
    Guest,
}

public sealed record EdgeRoute(string Prefix, RouteKind Kind, string? StaticRoot, int Line)
{
    /// <summary>The guest package of a <see cref="RouteKind.Guest"/> route; null on other routes.</summary>
    public GuestRoute? Guest { get; init; }

    /// <summary>True when a request needs a valid token or session: protected routes and guest routes with auth = "token".</summary>
    public bool RequiresToken => Kind == RouteKind.Protected || Guest?.RequiresToken == true;

    /// <summary>Name used in decision records, such as "route /api/ (edge.toml:31)".</summary>
    public string RuleName { get; init; } = $"route {Prefix}";
}

/// <summary>Size and count limits applied to every inbound request.</summary>
public sealed class EdgeLimits
{
    /// <summary>Longest bearer token accepted, in bytes; longer ones are rejected unparsed.</summary>
    public int MaxTokenBytes { get; init; } = 16 * 1024;

    /// <summary>Most request headers accepted; more gets 431.</summary>
    public int MaxRequestHeaders { get; init; } = 100;

    /// <summary>Largest total size of the request headers, in bytes; more gets 431.</summary>
    public int MaxRequestHeadersTotalBytes { get; init; } = 32 * 1024;

    /// <summary>Largest request body forwarded, in bytes; more gets 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Time a client has to send the whole request head; Kestrel then responds 408 or closes the connection. Default 30 s.</summary>
    public TimeSpan RequestHeadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time an idle client connection stays open between requests; default 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>Maximum open client connections over all listeners; Kestrel closes more at accept. Null (the default) means no limit.</summary>
    public long? MaxConnections { get; init; }
}
