using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Forwarding;
using Gatehouse.Edge.Guests;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Edge.RateLimiting;
using Gatehouse.Signals.RateLimiting;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    private EdgeHost(WebApplication app, List<IDisposable> owned, GuestRoutes? guests, ILogger logger, Uri address, FeedbackEngine feedback)
    {
        Feedback = feedback;
        _app = app;
        _owned = owned;
        _guests = guests;
        _logger = logger;
        Address = address;
    }

    /// <summary>The address the edge listens on, with the real port when port 0 was asked for.</summary>
    public Uri Address { get; }

    /// <summary>
    /// The edge's <c>[[feedback]]</c> rules at work. A host that also runs the Gatehouse balancer connects its
    /// stick tables here with <see cref="FeedbackEngine.ConnectPush"/>.
    /// </summary>
    public FeedbackEngine Feedback { get; }

    public static async Task<EdgeHost> StartAsync(EdgeConfig config, EdgeHostOptions options, CancellationToken cancellationToken)
    {
        if (options.Tokens is null && (config.Sessions is not null || config.Routes.Any(route => route.RequiresToken)))
        {
            throw new InvalidOperationException("the edge has protected routes or [sessions] but no token validator was supplied");
        }

        RequestFraming.RefuseBareLineFeeds();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.Replace(ServiceDescriptor.Singleton(options.LoggerFactory));
        builder.Services.AddHttpForwarder();
        ConfigureKestrel(builder, config, options.Listen ?? config.Listen);
        var app = builder.Build();

        var logger = options.LoggerFactory.CreateLogger("Gatehouse.Edge");
        var owned = new List<IDisposable>();
        var staticAssets = new Dictionary<EdgeRoute, StaticAssets>();
        foreach (var route in config.Routes.Where(route => route.Kind == RouteKind.Static))
        {
            var assets = new StaticAssets(route, app.Services.GetRequiredService<IWebHostEnvironment>(), options.LoggerFactory);
            staticAssets[route] = assets;
            owned.Add(assets);
        }

        var forwarder = new BalancerForwarder(app.Services.GetRequiredService<IHttpForwarder>(), config);
        owned.Add(forwarder);
        var rateCounter = options.RateCounter ?? new InMemoryRateCounter(options.Time);
        var penaltyBox = options.PenaltyBox ?? new InMemoryPenaltyBox(options.Time);
        var feedback = new FeedbackEngine(config.Feedback, penaltyBox, logger, options.Time);
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
            feedback);

        app.Run(context => context.Request.Path.Equals(JwksPath, StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method)
            ? WriteJwksAsync(context, options.PublicJwks)
            : handler.HandleAsync(context));

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

            throw;
        }

        StartFeedbackSources(feedback, options, logger, owned);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        EdgeLog.Started(logger, address.ToString(), config.BalancerUrl);
        return new EdgeHost(app, owned, guests, logger, address, feedback);
    }

    /// <summary>Starts the relay and compiles every guest route's module; null when no route is a guest route.</summary>
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

    private static void ConfigureKestrel(WebApplicationBuilder builder, EdgeConfig config, string listen)
    {
        builder.WebHost.UseUrls($"http://{listen}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Header bytes pass through as Latin-1, one char per byte, so a value that is not valid
            // UTF-8 (a lone 0xFF in a cookie) is kept as sent instead of rejecting the request.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            kestrel.Limits.MaxRequestHeaderCount = config.Limits.MaxRequestHeaders;
            kestrel.Limits.MaxRequestHeadersTotalSize = config.Limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestBodySize = config.Limits.MaxRequestBodyBytes;
        });
    }

    public async ValueTask DisposeAsync()
    {
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
