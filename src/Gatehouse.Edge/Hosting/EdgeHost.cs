using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.Forwarding;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Edge.RateLimiting;
using Gatehouse.Signals.RateLimiting;
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
    private readonly ILogger _logger;

    private EdgeHost(WebApplication app, List<IDisposable> owned, ILogger logger, Uri address)
    {
        _app = app;
        _owned = owned;
        _logger = logger;
        Address = address;
    }

    /// <summary>The address the edge listens on, with the real port when port 0 was asked for.</summary>
    public Uri Address { get; }

    public static async Task<EdgeHost> StartAsync(EdgeConfig config, EdgeHostOptions options, CancellationToken cancellationToken)
    {
        if (options.Tokens is null && (config.Sessions is not null || config.Routes.Any(route => route.Kind == RouteKind.Protected)))
        {
            throw new InvalidOperationException("the edge has protected routes or [sessions] but no token validator was supplied");
        }

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
        var handler = new EdgeRequestHandler(
            config,
            staticAssets,
            options.Tokens,
            options.Assertions,
            forwarder,
            new ExperimentStep(config.Experiments, secureCookies: false),
            new RateLimitStep(config.RateLimits, new RateLimiter(
                options.RateCounter ?? new InMemoryRateCounter(options.Time),
                options.PenaltyBox ?? new InMemoryPenaltyBox(options.Time))),
            SessionSetup.Create(config, options, logger, owned),
            options.Decisions,
            logger,
            options.Time);

        app.Run(context => context.Request.Path.Equals(JwksPath, StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method)
            ? WriteJwksAsync(context, options.PublicJwks)
            : handler.HandleAsync(context));

        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        EdgeLog.Started(logger, address.ToString(), config.BalancerUrl);
        return new EdgeHost(app, owned, logger, address);
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
        foreach (var disposable in _owned)
        {
            disposable.Dispose();
        }

        EdgeLog.Stopped(_logger);
    }
}
