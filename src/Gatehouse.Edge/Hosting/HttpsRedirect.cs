using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Edge.Hosting;

/// <summary>Answers requests on a plain listener with <c>plain = "redirect"</c>: 308 to the same host, path and query on https.</summary>
internal static class HttpsRedirect
{
    /// <summary>Writes the redirect when the connection arrived on a redirect listener; returns false otherwise.</summary>
    public static bool TryRedirect(HttpContext context, EdgeEndpoints? endpoints)
    {
        if (endpoints is null || context.Request.IsHttps)
        {
            return false;
        }

        var port = endpoints.RedirectPortFor(context.Connection.LocalIpAddress, context.Connection.LocalPort);
        if (port is null)
        {
            return false;
        }

        // Without a Host header (HTTP/1.0) the address the client connected to is the best host there is.
        var host = context.Request.Host.HasValue
            ? context.Request.Host.Host
            : context.Connection.LocalIpAddress?.ToString() ?? "localhost";
        var authority = port == 443 ? new HostString(host) : new HostString(host, port.Value);

        // The raw target keeps the client's path and query bytes exactly, as forwarding does.
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = !string.IsNullOrEmpty(rawTarget) && rawTarget[0] == '/'
            ? rawTarget
            : context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = $"https://{authority.ToUriComponent()}{target}";
        context.Response.Headers.CacheControl = "no-store";
        return true;
    }
}
