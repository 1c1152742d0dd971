using System.Net;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// The running balancer: one Kestrel server listening on every frontend's bind addresses and forwarding
/// to the backends' servers. Dispose to stop listening and close server connections.
/// </summary>
public sealed partial class BalancerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<TimeSpan, HttpMessageInvoker> _invokers;
    private readonly ILogger _logger;
    private readonly RequestPipeline _pipeline;
    private readonly BalancerHostOptions _options;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly List<RuntimeApi.RuntimeApiServer> _runtimeApis = [];

    private BalancerHost(
        WebApplication app, Dictionary<TimeSpan, HttpMessageInvoker> invokers, IReadOnlyDictionary<string, IReadOnlyList<Uri>> bound,
        ILogger logger, RequestPipeline pipeline, BalancerHostOptions options)
    {
        _app = app;
        _invokers = invokers;
        BoundAddresses = bound;
        _logger = logger;
        _pipeline = pipeline;
        _options = options;
    }

    /// <summary>Frontend name to the addresses it actually listens on, with the real port when the bind asked for port 0.</summary>
    /// <remarks>NOTE: the scheme is http for every address, also for `ssl` binds, which accept only TLS.</remarks>
    public IReadOnlyDictionary<string, IReadOnlyList<Uri>> BoundAddresses { get; }

    /// <summary>
    /// The stick tables of the configuration in use; empty when it declares none. A reload replaces the registry
    /// but keeps each table whose definition did not change, so a <see cref="StickTables.StickTable.Watch"/>
    /// subscription on such a table stays valid.
    /// </summary>
    public StickTables.StickTableRegistry StickTables => _pipeline.State.StickTables;

    /// <summary>The routing state in use, for tests and the runtime API.</summary>
    internal RoutingState State => _pipeline.State;

    /// <summary>The first runtime API TCP endpoint (`stats socket ipv4@...`), with the real port for port 0; otherwise null.</summary>
    public IPEndPoint? RuntimeApiEndpoint => _runtimeApis.Select(api => api.LocalEndpoint).FirstOrDefault(endpoint => endpoint is not null);

    /// <summary>Binds every frontend and starts serving.</summary>
    /// <exception cref="InvalidOperationException">
    /// A frontend has an edge-assertion line but no verifier factory was given, or the `stats socket` cannot be bound.
    /// </exception>
    public static async Task<BalancerHost> StartAsync(BalancerConfig config, BalancerHostOptions options, CancellationToken ct)
    {
        var logger = options.LoggerFactory.CreateLogger("Gatehouse.Balancer");
        var invokers = new Dictionary<TimeSpan, HttpMessageInvoker>();
        var state = RoutingState.Build(
            config, frontend => CreateVerifier(frontend, options), timeout => GetInvoker(invokers, timeout), options.TimeProvider, logger);

        RequestFraming.RejectBareLineFeeds();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new Telemetry.HostLoggerFactory(options.LoggerFactory));
        builder.Services.AddHttpForwarder();
        // A factory registration, so the container disposes the clients when the app is disposed.
        builder.Services.AddSingleton(_ => new Tls.OriginTlsClients(logger));
        AddTraceExport(builder.Services);
        var listeners = new List<(string Frontend, ListenOptions Listen)>();
        RequestPipeline? pipeline = null;
        var tcp = new TcpProxy(() => pipeline!.State, logger);
        var gate = new ConnectionGate(() => pipeline!.State, logger);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config, [.. state.Frontends.Values], listeners, tcp, gate, () => pipeline!.State));

        var app = builder.Build();
        app.Services.GetService<Telemetry.Tracing.OtlpTraceExport>();
        var forwarder = new ServerForwarder(
            app.Services.GetRequiredService<IHttpForwarder>(), logger, app.Services.GetRequiredService<Tls.OriginTlsClients>());
        pipeline = new RequestPipeline(state, forwarder, options.DecisionSink, options.TimeProvider, logger);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);

        var bound = listeners
            .GroupBy(listener => listener.Frontend)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<Uri>)[.. group.Select(listener => ToUri(listener.Listen.IPEndPoint!))]);
        foreach (var (name, addresses) in bound)
        {
            foreach (var address in addresses)
            {
                BalancerLog.Listening(logger, name, address);
            }
        }

        state.StartChecks();
        var host = new BalancerHost(app, invokers, bound, logger, pipeline, options);
        foreach (var socket in config.StatsSockets)
        {
            try
            {
                // NOTE: the sockets are bound once at start; a reload that changes `stats socket` applies after a restart.
                var context = new RuntimeApi.RuntimeApiContext(null, () => pipeline.State, options.TimeProvider, options.TimeProvider.GetUtcNow());
                host._runtimeApis.Add(RuntimeApi.RuntimeApiServer.Start(socket, context, logger));
            }
            catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                await host.DisposeAsync();
                throw new InvalidOperationException($"Cannot open the runtime API socket '{socket.Path ?? socket.Endpoint!.ToString()}': {exception.Message}", exception);
            }
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _reloadLock.WaitAsync();
        foreach (var runtimeApi in _runtimeApis)
        {
            await runtimeApi.DisposeAsync();
        }

        await _pipeline.State.StopChecksAsync();
        await _app.StopAsync();
        await _pipeline.DisposeAccessLogAsync();
        await _app.DisposeAsync();
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }

        _reloadLock.Dispose();
        BalancerLog.Stopped(_logger);
    }

    /// <summary>
    /// Registers OTLP span export when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set,
    /// because haproxy.cfg has no keyword for it. A factory registration, so disposing the app sends the queued spans.
    /// </summary>
    /// <exception cref="InvalidOperationException">An OTEL_* variable has a value the exporter cannot use.</exception>
    private static void AddTraceExport(IServiceCollection services)
    {
        Telemetry.Tracing.OtlpTraceOptions? options;
        try
        {
            options = Telemetry.Tracing.OtlpTraceOptions.FromEnvironment("gatehouse-balancer");
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(exception.Message, exception);
        }

        if (options is not null)
        {
            services.AddSingleton(_ => Telemetry.Tracing.OtlpTraceExport.Start(options, Telemetry.Tracing.TierSources.BalancerName));
        }
    }

    private static Trust.Assertions.IEdgeAssertionVerifier? CreateVerifier(FrontendConfig frontend, BalancerHostOptions options)
    {
        if (frontend.EdgeAssertion is not { } setting)
        {
            return null;
        }

        if (options.AssertionVerifierFactory is not { } factory)
        {
            throw new InvalidOperationException(
                $"Frontend '{frontend.Name}' has 'edge-assertion' at {setting.Location}, but BalancerHostOptions.AssertionVerifierFactory is not set.");
        }

        return factory(setting.JwksUri);
    }

    private static void ConfigureKestrel(
        KestrelServerOptions kestrel, BalancerConfig config, List<FrontendRuntime> frontends, List<(string, ListenOptions)> listeners, TcpProxy tcp,
        ConnectionGate gate, Func<RoutingState> current)
    {
        kestrel.AddServerHeader = false;
        // Latin-1 maps every byte to one char and back, so header bytes pass through unchanged, UTF-8 included.
        kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
        kestrel.ResponseHeaderEncodingSelector = _ => Encoding.Latin1;
        if (config.MaxConnections is { } maxConnections)
        {
            kestrel.Limits.MaxConcurrentConnections = maxConnections;
        }

        // NOTE: Kestrel's timeouts are server-wide, so the largest value over all frontends applies to every frontend.
        var keepAlive = frontends.Max(frontend => frontend.Config.Settings.HttpKeepAliveTimeout ?? frontend.Config.Settings.ClientTimeout);
        var requestHeaders = frontends.Max(frontend => frontend.Config.Settings.HttpRequestTimeout ?? frontend.Config.Settings.ClientTimeout);
        if (keepAlive is { } keepAliveTimeout)
        {
            kestrel.Limits.KeepAliveTimeout = keepAliveTimeout;
        }

        if (requestHeaders is { } requestHeadersTimeout)
        {
            kestrel.Limits.RequestHeadersTimeout = requestHeadersTimeout;
        }

        foreach (var frontend in frontends)
        {
            foreach (var bind in frontend.Config.Binds)
            {
                var address = bind.Host switch
                {
                    null => IPAddress.Any,
                    "localhost" => IPAddress.Loopback,
                    _ => IPAddress.Parse(bind.Host),
                };
                kestrel.Listen(address, bind.Port, listen =>
                {
                    listen.Use(next => connection => gate.HandleAsync(connection, frontend.Name, next));
                    if (bind.Tls is { } tls)
                    {
                        Tls.KestrelTls.Use(listen, tls, bind, frontend.Name, current);
                    }

                    if (frontend.Config.Settings.Mode == ProxyMode.Tcp)
                    {
                        // NOTE: a reload that switches a frontend between tcp and http modes applies only after a restart.
                        listen.Use(_ => connection => tcp.HandleAsync(connection, frontend.Name));
                        listeners.Add((frontend.Name, listen));
                        return;
                    }

                    listen.Use(next => connection =>
                    {
                        // The name, not the runtime: a reload replaces the runtime under open keep-alive connections.
                        connection.Items[RequestPipeline.FrontendItemKey] = frontend.Name;
                        return next(connection);
                    });
                    listeners.Add((frontend.Name, listen));
                });
            }
        }
    }

    private static HttpMessageInvoker GetInvoker(Dictionary<TimeSpan, HttpMessageInvoker> invokers, TimeSpan? connectTimeout)
    {
        var timeout = connectTimeout ?? Timeout.InfiniteTimeSpan;
        if (!invokers.TryGetValue(timeout, out var invoker))
        {
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                EnableMultipleHttp2Connections = true,
                ActivityHeadersPropagator = null,
                ConnectTimeout = timeout,
                RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
                ResponseHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            };
            invoker = new HttpMessageInvoker(handler, disposeHandler: true);
            invokers[timeout] = invoker;
        }

        return invoker;
    }

    private static Uri ToUri(IPEndPoint endpoint)
    {
        var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        host = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new Uri($"http://{host}:{endpoint.Port}/");
    }
}
