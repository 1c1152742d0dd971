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
    private readonly string _root;
    private readonly string _requestPath;

    public StaticAssets(EdgeRoute route, IWebHostEnvironment environment, ILoggerFactory loggerFactory)
    {
        _root = Path.GetFullPath(route.StaticRoot!);
        _requestPath = route.Prefix.TrimEnd('/');
        _files = new PhysicalFileProvider(_root);
        var options = new StaticFileOptions
        {
            FileProvider = _files,
            RequestPath = new PathString(route.Prefix.TrimEnd('/')),
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=300";
                context.Context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            },
        };
        _middleware = new StaticFileMiddleware(NotFound, environment, Options.Create(options), loggerFactory);
    }

    /// <summary>Serves the file, or answers 404 when the path names no servable file.</summary>
    public Task ServeAsync(HttpContext context)
    {
        // PhysicalFileProvider follows symbolic links, so a link inside the folder could expose files
        // outside it. Any link on the way to the file makes it unservable.
        var relative = (context.Request.Path.Value ?? string.Empty)[_requestPath.Length..].TrimStart('/');
        return PassesThroughLink(relative) ? NotFound(context) : _middleware.Invoke(context);
    }

    public void Dispose() => _files.Dispose();

    private bool PassesThroughLink(string relative)
    {
        var current = _root;
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (!info.Exists && !Directory.Exists(current))
            {
                return false;
            }

            if (info.LinkTarget is not null || new DirectoryInfo(current).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("not found\n");
    }
}
