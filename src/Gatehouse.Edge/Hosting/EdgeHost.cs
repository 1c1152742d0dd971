using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Forwarding;
using Gatehouse.Edge.Guests;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Edge.RateLimiting;
using Gatehouse.Edge.Telemetry;
using Gatehouse.Signals.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Edge.Hosting;

/// <summary>A running edge: one Kestrel listener in front of the pipeline. Dispose to stop it.</summary>
public sealed class EdgeHost : IAsyncDisposable
{
    /// <summary>Where the edge publishes the public keys of its assertion key ring.</summary>
    public const string JwksPath = "/.well-known/gatehouse/jwks.json";

    private readonly WebApplication _app;
    private readonly List<IDisposable> _owned;
    private readonly GuestRoutes? _guests;
    private readonly ILogger _logger;
    private EdgeMetricsListener? _metricsListener;

    private EdgeHost(
        WebApplication app, List<IDisposable> owned, GuestRoutes? guests, ILogger logger, IReadOnlyList<Uri> addresses, FeedbackEngine feedback)
    {
        Feedback = feedback;
        _app = app;
        _owned = owned;
        _guests = guests;
        _logger = logger;
        Addresses = addresses;
    }

    /// <summary>The address of the first listener, with the real port when port 0 was asked for.</summary>
    public Uri Address => Addresses[0];

    /// <summary>The certificates of every TLS listener, each reloaded when its files change.</summary>
    internal IReadOnlyList<Tls.ReloadingCertificate> Certificates =>
        _owned.OfType<EdgeEndpoints>().FirstOrDefault()?.Certificates ?? [];

    /// <summary>Every listener's address in order: <c>[edge] listen</c>, <c>[[listeners]]</c>, then the host's additional ones.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>
    /// The edge's <c>[[feedback]]</c> rules at work. A host that also runs the Gatehouse balancer connects its
    /// stick tables here with <see cref="FeedbackEngine.ConnectPush"/>.
    /// </summary>
    public FeedbackEngine Feedback { get; }

    /// <summary>Address of the <c>[metrics]</c> listener (Prometheus text and edge panel), or null without that section.</summary>
    public Uri? MetricsAddress => _metricsListener?.Address;

    /// <summary>Path of the Prometheus text on <see cref="MetricsAddress"/>, default "/metrics".</summary>
    public string MetricsPath => _metricsListener?.Path ?? Configuration.MetricsConfig.DefaultPath;

    public static async Task<EdgeHost> StartAsync(EdgeConfig config, EdgeHostOptions options, CancellationToken cancellationToken)
    {
        if (options.Tokens is null && (config.Sessions is not null || config.Routes.Any(route => route.RequiresToken)))
        {
            throw new InvalidOperationException("the edge has protected routes or [sessions] but no token validator was supplied");
        }

        var logger = options.LoggerFactory.CreateLogger("Gatehouse.Edge");
        var owned = new List<IDisposable>();
        var endpoints = EdgeEndpoints.Create(config, options.Listen, options.AdditionalListeners, logger);
        if (endpoints is not null)
        {
            try
            {
                endpoints.OpenCertificates(options.Time, options.CertificateCheckInterval);
            }
            catch
            {
                endpoints.Dispose();
                throw;
            }

            owned.Add(endpoints);
        }

        var builder = CreateBuilder(config, options, endpoints);
        if (endpoints?.Listeners.Any(listener => listener.Http3) == true
            && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()))
        {
            // The slim builder leaves out the QUIC transport; the loader has checked that libmsquic is present.
            builder.WebHost.UseQuic();
        }

        builder.Services.AddHttpForwarder();
        var app = builder.Build();

        var staticAssets = new Dictionary<EdgeRoute, StaticAssets>();
        foreach (var route in config.Routes.Where(route => route.Kind == RouteKind.Static))
        {
            var assets = new StaticAssets(route, app.Services.GetRequiredService<IWebHostEnvironment>(), options.LoggerFactory);
            staticAssets[route] = assets;
            owned.Add(assets);
        }

        var forwarder = new BalancerForwarder(app.Services.GetRequiredService<IHttpForwarder>(), config, logger);
        owned.Add(forwarder);
        var rateCounter = options.RateCounter ?? new InMemoryRateCounter(options.Time);
        var penaltyBox = options.PenaltyBox ?? new InMemoryPenaltyBox(options.Time);
        var metrics = new EdgeMetrics(options.Time);
        owned.Add(metrics);
        // With Redis this is the local knowledge of the box: entries this node added or found there.
        metrics.ObservePenaltyBox(() => penaltyBox.Count);
        var feedback = new FeedbackEngine(config.Feedback, penaltyBox, logger, options.Time, options.FeedbackRateCounter);
        var guests = await StartGuestsAsync(config, options, forwarder, rateCounter, penaltyBox, logger, cancellationToken);
        var handler = new EdgeRequestHandler(
            config,
            staticAssets,
            options.Tokens,
            options.Assertions,
            forwarder,
            new ExperimentStep(config.Experiments, secureCookies: false),
            new RateLimitStep(config.RateLimits, new RateLimiter(rateCounter, penaltyBox)),
            SessionSetup.Create(config, options, logger, owned),
            guests,
            options.Decisions,
            logger,
            options.Time,
            feedback,
            metrics);

        app.Run(context =>
        {
            if (Http2HeaderRules.TryRejectMalformed(context) || HttpsRedirect.TryRedirect(context, endpoints))
            {
                return Task.CompletedTask;
            }

            return context.Request.Path.Equals(JwksPath, StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method)
                ? WriteJwksAsync(context, options.PublicJwks)
                : handler.HandleAsync(context);
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            if (guests is not null)
            {
                await guests.DisposeAsync();
            }

            endpoints?.Dispose();
            throw;
        }

        StartFeedbackSources(feedback, options, logger, owned);
        if (config.OtlpTraces is { } otlpTraces)
        {
            // Disposed with the other owned parts after Kestrel stops, which sends the spans still queued.
            owned.Add(Gatehouse.Telemetry.Tracing.OtlpTraceExport.Start(otlpTraces, Gatehouse.Telemetry.Tracing.TierSources.EdgeName));
        }

        IReadOnlyList<Uri> addresses = endpoints?.BoundAddresses() ?? [EdgeListener.GetBoundAddress(app)];
        endpoints?.LogStarted();
        EdgeLog.Started(logger, string.Join(", ", addresses), config.BalancerUrl);
        var host = new EdgeHost(app, owned, guests, logger, addresses, feedback);
        await host.StartMetricsAsync(config, metrics, options.LoggerFactory, cancellationToken);
        return host;
    }

    /// <summary>Opens the <c>[metrics]</c> listener, if any; a listener that fails to open stops the edge.</summary>
    private async Task StartMetricsAsync(EdgeConfig config, EdgeMetrics metrics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (config.Metrics is null)
        {
            return;
        }

        try
        {
            _metricsListener = await EdgeMetricsListener.StartAsync(config.Metrics, metrics, loggers, _logger, cancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the relay and compiles every guest route's module, or returns null when no route is a guest route.</summary>
    private static async Task<GuestRoutes?> StartGuestsAsync(
        EdgeConfig config, EdgeHostOptions options, BalancerForwarder forwarder, IRateCounter rateCounter, IPenaltyBox penaltyBox,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (!config.Routes.Any(route => route.Guest is not null))
        {
            return null;
        }

        var relay = await GuestRelay.StartAsync(forwarder, options.Assertions, options.LoggerFactory, config.Limits.MaxRequestBodyBytes, cancellationToken);
        try
        {
            var setup = new GuestSetup(rateCounter, penaltyBox, options.GuestCacheDirectory, options.Time);
            return GuestRoutes.Load(config, relay, setup, options.LoggerFactory, logger);
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a poller per poll rule and applies the signals of the bus, once the listener runs.</summary>
    private static void StartFeedbackSources(FeedbackEngine engine, EdgeHostOptions options, ILogger logger, List<IDisposable> owned)
    {
        owned.AddRange(PollSource.StartAll(engine, logger));
        if (options.Signals is not null && engine.Rules.Count > 0)
        {
            owned.Add(engine.Subscribe(options.Signals));
        }
    }

    private static Task WriteJwksAsync(HttpContext context, Func<string> jwks)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "public, max-age=60";
        return context.Response.WriteAsync(jwks());
    }

    private static WebApplicationBuilder CreateBuilder(EdgeConfig config, EdgeHostOptions options, EdgeEndpoints? endpoints) =>
        EdgeListener.CreateBuilder(
            options.LoggerFactory, endpoints is null ? $"http://{options.Listen ?? config.Listen}" : null, config.Limits.MaxRequestBodyBytes, kestrel =>
            {
                // Header bytes pass through as Latin-1, one char per byte, so a value that is not valid
                // UTF-8 (a lone 0xFF in a cookie) is kept as sent instead of rejecting the request.
                kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
                kestrel.Limits.MaxRequestHeaderCount = config.Limits.MaxRequestHeaders;
                kestrel.Limits.MaxRequestHeadersTotalSize = config.Limits.MaxRequestHeadersTotalBytes;
                kestrel.Limits.RequestHeadersTimeout = config.Limits.RequestHeadTimeout;
                kestrel.Limits.KeepAliveTimeout = config.Limits.KeepAliveTimeout;
                kestrel.Limits.MaxConcurrentConnections = config.Limits.MaxConnections;
                endpoints?.Configure(kestrel);
            });

    public async ValueTask DisposeAsync()
    {
        if (_metricsListener is not null)
        {
            await _metricsListener.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_guests is not null)
        {
            await _guests.DisposeAsync();
        }

        foreach (var disposable in _owned)
        {
            disposable.Dispose();
        }

        EdgeLog.Stopped(_logger);
    }
}
