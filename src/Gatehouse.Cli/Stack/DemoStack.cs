using Gatehouse.Cli.Commands;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Balancer.StickTables;
using Gatehouse.DevStack.Identity;
using Gatehouse.DevStack.Origins;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Cli.Stack;

/// <summary>Problems found in both configuration files at once.</summary>
internal sealed class StackConfigException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Everything <c>gatehouse up</c> runs in one process: the dev issuer, the demo origin pools, the
/// balancer on examples/haproxy.cfg and the edge on examples/edge.toml, with the guest packages of
/// examples/guests built first. Dispose stops them in reverse order.
/// </summary>
internal sealed class DemoStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _parts = [];
    private readonly List<IDisposable> _owned = [];

    private DemoStack(RunFolder runFolder)
    {
        RunFolder = runFolder;
    }

    public RunFolder RunFolder { get; }

    public DevIssuer Issuer { get; private set; } = null!;

    public IReadOnlyList<DemoOrigin> Origins { get; private set; } = [];

    public BalancerHost Balancer { get; private set; } = null!;

    public EdgeHost Edge { get; private set; } = null!;

    public KeyRing KeyRing { get; private set; } = null!;

    public DecisionLog EdgeDecisions { get; private set; } = null!;

    public DecisionLog BalancerDecisions { get; private set; } = null!;

    /// <summary>Decision-record destinations from edge.toml and haproxy.cfg besides the run-folder files, for the banner.</summary>
    public IReadOnlyList<string> ConfiguredDecisionSinks { get; private set; } = [];

    /// <summary>The development CA and edge certificate of <c>up --tls</c>; null without an HTTPS listener.</summary>
    public DevCertificates? DevTls { get; private set; }

    /// <summary>Address of the balancer's <c>gateway</c> frontend, which the edge forwards to.</summary>
    public Uri BalancerAddress => Balancer.BoundAddresses["gateway"][0];

    /// <summary>Address of the balancer's <c>stats</c> frontend (stats page and metrics), or null when the configuration has none.</summary>
    public Uri? StatsAddress => Balancer.BoundAddresses.TryGetValue("stats", out var stats) ? stats[0] : null;

    /// <summary>Address of the edge's <c>[metrics]</c> listener (edge panel and Prometheus text), or null when edge.toml has none.</summary>
    public Uri? EdgeMetricsAddress => Edge.MetricsAddress;

    /// <summary>Path of the balancer's runtime API unix socket (`stats socket` in haproxy.cfg), which <c>gatehouse top</c> reads.</summary>
    public string RuntimeApiSocket => RuntimeApiSocketPath(RunFolder);

    public static string RuntimeApiSocketPath(RunFolder runFolder) => Path.Combine(runFolder.Root, "run", "balancer.sock");

    /// <summary>
    /// Loads both configuration files first, so a bad file stops start-up before any listener opens,
    /// then starts the parts in dependency order.
    /// </summary>
    public static async Task<DemoStack> StartAsync(StackOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var stack = new DemoStack(options.RunFolder);
        try
        {
            await stack.StartPartsAsync(options, loggers, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(StackOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var haproxyCfg = Path.Combine(options.ConfigDirectory, "haproxy.cfg");
        var edgeToml = Path.Combine(options.ConfigDirectory, "edge.toml");
        var jwksUrl = $"http://127.0.0.1:{options.EdgePort}{EdgeHost.JwksPath}";

        // Validate both files with provisional variables before any listener opens; they are loaded
        // again below with the real addresses of the issuer, origins and balancer.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BALANCER_BIND"] = options.BalancerBind,
            ["STATS_BIND"] = options.StatsBind,
            ["STATS_SOCKET"] = RuntimeApiSocket,
            ["EDGE_JWKS_URL"] = jwksUrl,
            ["EDGE_LISTEN"] = $"127.0.0.1:{options.EdgePort}",
            ["EDGE_METRICS_LISTEN"] = options.EdgeMetricsListen,
            ["DEV_ISSUER"] = $"http://{options.IssuerListen}/",
        };
        await GuestPackages.BuildAsync(Path.Combine(options.ConfigDirectory, "guests"), loggers.CreateLogger("Gatehouse.Cli"), cancellationToken);
        var provisionalEdge = LoadBoth(haproxyCfg, edgeToml, variables);

        Issuer = Track(await DevIssuer.StartAsync(
            new DevIssuerOptions { ListenAddress = options.IssuerListen, SigningKeyDirectory = RunFolder.IssuerKeyDirectory },
            loggers, cancellationToken));
        variables["DEV_ISSUER"] = Issuer.IssuerUri.ToString();

        Origins = await DemoOriginPools.StartDefaultAsync(loggers, cancellationToken, options.FixedOriginPorts);
        foreach (var origin in Origins)
        {
            Track(origin);
        }

        foreach (var (name, value) in DemoOriginPools.BuildBalancerVariables(Origins))
        {
            variables[name] = value;
        }

        var balancerConfig = BalancerConfigLoader.Load([haproxyCfg], variables);
        // Rate counters, penalty box and key ring: in Redis when edge.toml has [redis], else local.
        var stores = Track(await EdgeStores.OpenAsync(provisionalEdge, RunFolder.KeyDirectory, loggers, TimeProvider.System));
        KeyRing = stores.KeyRing;
        // Both record files end with a checkpoint signed by the edge key ring, so `gatehouse audit verify`
        // can prove that nothing was edited, removed or reordered.
        var checkpointSigner = new KeyRingCheckpointSigner(KeyRing);
        // The run-folder files stay because `gatehouse audit` reads them. Configured destinations are added to them.
        EdgeDecisions = Track(DecisionLog.Create(
            provisionalEdge.Decisions, loggers.CreateLogger("Gatehouse.Edge.Decisions"), RunFolder.EdgeDecisionLog, checkpointSigner));
        BalancerDecisions = Track(DecisionLog.Create(
            balancerConfig.Decisions, loggers.CreateLogger("Gatehouse.Balancer.Decisions"), RunFolder.BalancerDecisionLog, checkpointSigner));
        ConfiguredDecisionSinks =
            [.. provisionalEdge.Decisions.Describe().Select(sink => "edge " + sink), .. balancerConfig.Decisions.Describe().Select(sink => "balancer " + sink)];

        var http = Own(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        Directory.CreateDirectory(Path.GetDirectoryName(RuntimeApiSocket)!);
        Balancer = Track(await BalancerHost.StartAsync(balancerConfig, new BalancerHostOptions
        {
            LoggerFactory = loggers,
            DecisionSink = BalancerDecisions,
            AssertionVerifierFactory = url => new JwksAssertionVerifier(
                new EdgeJwksSource(url, () => Edge?.Address, http), TimeProvider.System, loggers.CreateLogger("Gatehouse.Balancer.Assertions")),
        }, cancellationToken));

        variables["BALANCER_URL"] = BalancerAddress.ToString().TrimEnd('/');
        var edgeConfig = EdgeConfigLoader.Load(edgeToml, variables);
        var rotation = new KeyRotationService(
            KeyRing,
            new KeyRotationOptions
            {
                RotationInterval = edgeConfig.KeyRotationInterval,
                ActivationDelay = edgeConfig.KeyActivationDelay,
                RetireAfter = edgeConfig.AssertionLifetime + TimeSpan.FromMinutes(1),
            },
            TimeProvider.System,
            loggers.CreateLogger("Gatehouse.Trust.Rotation"));
        await rotation.StartAsync(cancellationToken);
        Track(rotation);

        DevTls = options.TlsPort is null ? null : DevCertificates.Ensure(RunFolder.Root, TimeProvider.System);
        var tokens = new OidcTokenValidator(edgeConfig.Providers, http, TimeProvider.System, loggers.CreateLogger("Gatehouse.Edge.Tokens"));
        Edge = Track(await EdgeHost.StartAsync(edgeConfig, new EdgeHostOptions
        {
            LoggerFactory = loggers,
            Decisions = EdgeDecisions,
            Assertions = new EdgeAssertionIssuer(KeyRing, edgeConfig.AssertionLifetime),
            PublicJwks = KeyRing.PublicJwksJson,
            Tokens = tokens,
            RateCounter = stores.RateCounter,
            FeedbackRateCounter = stores.FeedbackRateCounter,
            PenaltyBox = stores.PenaltyBox,
            Signals = stores.Signals,
            GuestCacheDirectory = RunFolder.CreateGuestCacheDirectory(),
            SessionKeyDirectory = Path.Combine(RunFolder.Root, "session-keys"),
            AdditionalListeners = DevTlsListeners(options.TlsPort),
        }, cancellationToken));

        // The balancer runs in this process, so the edge's [[feedback]] rules watch its stick tables directly.
        // A client tagged there is rejected by the edge on its next request.
        Own(Edge.Feedback.ConnectPush(WatchBalancerTable));
    }

    /// <summary>Subscribes a feedback rule to a balancer stick table, or returns null when the table or its counter does not exist.</summary>
    private IDisposable? WatchBalancerTable(string table, string counter, long threshold, Action<string, long> onCrossed)
    {
        // Rules name counters as haproxy.cfg does (http_err_rate); the enum drops the underscores.
        var typeName = counter.Replace("_", "", StringComparison.Ordinal);
        if (Balancer.StickTables.Find(table) is not { } stickTable
            || !Enum.TryParse<StickDataType>(typeName, ignoreCase: true, out var type)
            || !stickTable.Stores(type))
        {
            return null;
        }

        return stickTable.Watch(type, threshold, change => onCrossed(change.Key, change.Value));
    }

    private IReadOnlyList<EdgeListenerConfig> DevTlsListeners(int? port) => DevTls is null || port is null
        ? []
        : [new EdgeListenerConfig
        {
            Address = $"127.0.0.1:{port}",
            Certificates = [new ListenerCertificate { CertificatePath = DevTls.CertificatePath, KeyPath = DevTls.KeyPath }],
        }];

    /// <summary>Loads both files and reports the problems of both at once when each has some.</summary>
    private static EdgeConfig LoadBoth(string haproxyCfg, string edgeToml, Dictionary<string, string> variables)
    {
        EdgeConfigException? edgeErrors = null;
        EdgeConfig? edge = null;
        try
        {
            edge = EdgeConfigLoader.Load(edgeToml, variables);
        }
        catch (EdgeConfigException exception)
        {
            edgeErrors = exception;
        }

        try
        {
            BalancerConfigLoader.Load([haproxyCfg], variables);
        }
        catch (ConfigException balancerErrors) when (edgeErrors is not null)
        {
            throw new StackConfigException([.. balancerErrors.Errors, .. edgeErrors.Errors]);
        }

        return edge ?? throw edgeErrors!;
    }

    private T Track<T>(T part)
        where T : IAsyncDisposable
    {
        _parts.Add(part);
        return part;
    }

    private T Own<T>(T part)
        where T : IDisposable
    {
        _owned.Add(part);
        return part;
    }

    public async ValueTask DisposeAsync()
    {
        // Stop in reverse order: the edge first, so no new request reaches a stopped balancer.
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            await _parts[i].DisposeAsync();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
