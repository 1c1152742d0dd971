using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.DevStack.Origins;

/// <summary>
/// Demo origin server: responds to every method and path with 200 and a JSON echo of the request, so a developer can see
/// which pool and server the balancer chose and what the request looked like when it arrived.
/// </summary>
/// <remarks>
/// The echo is <c>{"pool", "server", "method", "path", "query", "headers": {name: [values]}, "body_bytes"}</c>.
/// Path and query are the raw request target split at the first '?', so escapes such as <c>%2f</c> stay as sent.
/// Request bodies are read and discarded, and one larger than 1 MiB gets 413.
/// </remarks>
public sealed class DemoOrigin : IAsyncDisposable
{
    /// <summary>
    /// Largest request body the origin reads, in bytes.
    /// </summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private int _requestCount;

    private DemoOrigin(WebApplication app, string pool, string server, ILogger logger)
    {
        _app = app;
        Pool = pool;
        Server = server;
        _logger = logger;
    }

    /// <summary>
    /// Base address, for example <c>http://127.0.0.1:9101</c>.
    /// </summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>
    /// Name of the pool (balancer backend) this server belongs to.
    /// </summary>
    public string Pool { get; }

    /// <summary>
    /// Name of this server within its pool.
    /// </summary>
    public string Server { get; }

    /// <summary>
    /// Number of requests received since start, including rejected ones.
    /// </summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>
    /// Starts a demo origin on <paramref name="listenAddress"/> (<c>IP:PORT</c>, port 0 for a free port) and returns
    /// once it accepts connections.
    /// </summary>
    /// <exception cref="ArgumentException">The listen address is not an IP literal with a port.</exception>
    public static async Task<DemoOrigin> StartAsync(
        string pool, string server, string listenAddress, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        ArgumentException.ThrowIfNullOrWhiteSpace(server);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var endPoint = ListenAddress.Parse(listenAddress, nameof(listenAddress));
        var builder = LoopbackHost.CreateBuilder(endPoint, loggerFactory, kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;

            // Echo header bytes as received, including ones that are not valid UTF-8.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });
        var app = builder.Build();
        var origin = new DemoOrigin(app, pool, server, loggerFactory.CreateLogger<DemoOrigin>());
        app.Run(origin.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        origin.Address = ListenAddress.ToHttpUri(LoopbackHost.GetBoundEndPoint(app, endPoint));
        DevStackLog.DemoOriginStarted(origin._logger, pool, server, origin.Address);
        return origin;
    }

    /// <summary>
    /// Stops the listener.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        DevStackLog.DemoOriginStopped(_logger, Pool, Server, RequestCount);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        long bodyBytes;
        try
        {
            bodyBytes = await DrainBodyAsync(context.Request.Body, context.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            DevStackLog.DemoOriginBodyTooLarge(_logger, Server, MaxRequestBodyBytes);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        catch (BadHttpRequestException exception)
        {
            // The client sent a malformed or truncated body, so respond with the status Kestrel chose and log no error.
            context.Response.StatusCode = exception.StatusCode;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var echo = EchoWriter.Write(Pool, Server, context, bodyBytes);
        context.Response.ContentLength = echo.Length;
        await context.Response.Body.WriteAsync(echo, context.RequestAborted);
    }

    private static async Task<long> DrainBodyAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
        }

        return total;
    }
}
