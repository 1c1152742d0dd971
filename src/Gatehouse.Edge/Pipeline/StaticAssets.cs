using Gatehouse.Edge.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Serves one static route's folder with ASP.NET Core's static file middleware, which supplies content
/// types, ETag, Last-Modified, conditional requests and byte ranges. PhysicalFileProvider refuses paths
/// that leave the root (<c>..</c>, absolute paths) and dot-files.
/// </summary>
internal sealed class StaticAssets : IDisposable
{
    private readonly PhysicalFileProvider _files;
    private readonly StaticFileMiddleware _middleware;

    public StaticAssets(EdgeRoute route, IWebHostEnvironment environment, ILoggerFactory loggerFactory)
    {
        _files = new PhysicalFileProvider(route.StaticRoot!);
        var options = new StaticFileOptions
        {
            FileProvider = _files,
            RequestPath = new PathString(route.Prefix.TrimEnd('/')),
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context =>
                context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=300",
        };
        _middleware = new StaticFileMiddleware(NotFound, environment, Options.Create(options), loggerFactory);
    }

    /// <summary>Serves the file, or leaves 404 when the path names no servable file.</summary>
    public Task ServeAsync(HttpContext context) => _middleware.Invoke(context);

    public void Dispose() => _files.Dispose();

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("not found\n");
    }
}
