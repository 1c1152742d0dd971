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
/// that leave the root (<c>..</c>, absolute paths) and dot-files. When a file has a precompressed
/// sibling (<c>NAME.br</c>, <c>NAME.gz</c>) that the client's Accept-Encoding allows, the sibling is
/// served instead, with Content-Encoding, the original's Content-Type and the sibling's own ETag.
/// </summary>
internal sealed class StaticAssets : IDisposable
{
    private readonly PhysicalFileProvider _files;
    private readonly StaticFileMiddleware _middleware;
    private readonly Dictionary<StaticEncoding, StaticFileMiddleware> _encodedMiddleware = [];
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
            RequestPath = new PathString(_requestPath),
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context => AddCacheHeaders(context.Context.Response),
        };
        _middleware = new StaticFileMiddleware(NotFound, environment, Options.Create(options), loggerFactory);

        // NOTE: a variant's ETag comes from its own length and modification time, so it equals the
        // original's only if both are the same size and were written in the same instant.
        foreach (var encoding in StaticEncoding.All)
        {
            var encodedOptions = new StaticFileOptions
            {
                FileProvider = _files,
                RequestPath = new PathString(_requestPath),
                ServeUnknownFileTypes = false,
                ContentTypeProvider = new StaticVariantContentTypes(encoding),
                OnPrepareResponse = context =>
                {
                    AddCacheHeaders(context.Context.Response);
                    context.Context.Response.Headers.ContentEncoding = encoding.Name;
                },
            };
            _encodedMiddleware[encoding] = new StaticFileMiddleware(
                NotFound, environment, Options.Create(encodedOptions), loggerFactory);
        }
    }

    /// <summary>
    /// Serves the file or its best precompressed variant, or sends 404 when the path names no servable
    /// file. Request.Path is rewritten to the variant only while the static file middleware runs.
    /// </summary>
    public async Task ServeAsync(HttpContext context)
    {
        // PhysicalFileProvider follows symbolic links, so a link inside the folder could expose files
        // outside it. Any link on the way to the file makes it unservable.
        var relative = (context.Request.Path.Value ?? string.Empty)[_requestPath.Length..].TrimStart('/');
        if (PassesThroughLink(relative))
        {
            await NotFound(context);
            return;
        }

        var variants = VariantsOf(relative);
        if (variants.Count == 0)
        {
            await _middleware.Invoke(context);
            return;
        }

        // Caches must key on Accept-Encoding for every response for this URL, the uncompressed one included.
        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        var chosen = StaticEncoding.Negotiate(context.Request.Headers.AcceptEncoding, variants);
        if (chosen is null)
        {
            await _middleware.Invoke(context);
            return;
        }

        var original = context.Request.Path;
        context.Request.Path = new PathString(original.Value + chosen.FileSuffix);
        try
        {
            await _encodedMiddleware[chosen].Invoke(context);
        }
        finally
        {
            context.Request.Path = original;
        }
    }

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// Lists the encodings that have a servable sibling of <paramref name="relative"/>: a regular file that
    /// the file provider exposes and that no symbolic link leads to. Empty when the original is not a file.
    /// </summary>
    private List<StaticEncoding> VariantsOf(string relative)
    {
        var variants = new List<StaticEncoding>();
        var file = _files.GetFileInfo(relative);
        if (relative.Length == 0 || !file.Exists || file.IsDirectory)
        {
            return variants;
        }

        foreach (var encoding in StaticEncoding.All)
        {
            var sibling = relative + encoding.FileSuffix;
            var variant = _files.GetFileInfo(sibling);
            if (variant.Exists && !variant.IsDirectory && !PassesThroughLink(sibling))
            {
                variants.Add(encoding);
            }
        }

        return variants;
    }

    private static void AddCacheHeaders(HttpResponse response)
    {
        response.Headers[HeaderNames.CacheControl] = "public, max-age=300";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
    }

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
