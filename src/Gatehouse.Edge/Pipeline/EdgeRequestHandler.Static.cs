using Gatehouse.Edge.Configuration;
using Gatehouse.Telemetry.Decisions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Pipeline;

/// <summary>Static routes: GET and HEAD requests are served from the route's directory.</summary>
internal sealed partial class EdgeRequestHandler
{
    private async Task ServeStaticAsync(HttpContext context, EdgeRoute route, DecisionRecord record, string path)
    {
        record.Decision = "static";
        if (!(context.Request.Path.Value ?? "/").StartsWith(route.Prefix, StringComparison.Ordinal))
        {
            // Only the normalized path matched (for example "//static/a.css"). Static files are looked up by
            // Request.Path, so serve the normalized path when it is plain text, else treat it as unknown.
            if (path.Contains('%'))
            {
                await RejectAsync(context, record, EdgeFailure.NoRoute, "no route for this path");
                return;
            }

            context.Request.Path = new PathString(path);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await RejectAsync(context, record, EdgeFailure.MethodNotAllowed, $"method {context.Request.Method} not allowed on static files");
            return;
        }

        await _staticAssets[route].ServeAsync(context);
    }
}
