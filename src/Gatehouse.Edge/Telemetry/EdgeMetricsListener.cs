using System.Net;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// The listener of <c>[metrics]</c>, apart from the public listeners: Prometheus text at the configured path and
/// the edge panel at "/" and "/stats", for GET and HEAD only. Dispose to stop it.
/// </summary>
internal sealed class EdgeMetricsListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EdgeMetricsExporter _exporter;

    private EdgeMetricsListener(WebApplication app, EdgeMetricsExporter exporter, Uri address, string path)
    {
        _app = app;
        _exporter = exporter;
        Address = address;
        Path = path;
    }

    /// <summary>The bound address, with the real port when port 0 was requested.</summary>
    public Uri Address { get; }

    /// <summary>Path of the Prometheus text.</summary>
    public string Path { get; }

    public static async Task<EdgeMetricsListener> StartAsync(
        MetricsConfig config, EdgeMetrics metrics, ILoggerFactory loggers, ILogger logger, CancellationToken cancellationToken)
    {
        if (!ListenAddress.TryParse(config.Listen, out var endPoint))
        {
            throw new InvalidOperationException($"[metrics] listen \"{config.Listen}\" was not checked by the loader");
        }

        ListenOptions? bound = null;
        var builder = EdgeListener.CreateBuilder(loggers, url: null, maxRequestBodyBytes: 0, kestrel =>
            kestrel.Listen(endPoint, options => bound = options));
        var app = builder.Build();
        var exporter = new EdgeMetricsExporter(metrics);
        app.Run(context => HandleAsync(context, config.Path, metrics, exporter));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            exporter.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri($"http://{Format(bound!.IPEndPoint!)}/");
        TelemetryLog.ListenerStarted(logger, address.Authority, config.Path);
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            TelemetryLog.ListenerNotLoopback(logger, address.Authority);
        }

        return new EdgeMetricsListener(app, exporter, address, config.Path);
    }

    private static Task HandleAsync(HttpContext context, string metricsPath, EdgeMetrics metrics, EdgeMetricsExporter exporter)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        var path = context.Request.Path.Value;
        if (path == metricsPath)
        {
            response.ContentType = EdgeMetricsExporter.ContentType;
            return response.WriteAsync(exporter.Build());
        }

        if (path is "/" or "/stats")
        {
            response.ContentType = EdgePanel.ContentType;
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return response.WriteAsync(EdgePanel.Render(metrics, metricsPath));
        }

        response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static string Format(IPEndPoint endPoint) =>
        endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _exporter.Dispose();
    }
}
