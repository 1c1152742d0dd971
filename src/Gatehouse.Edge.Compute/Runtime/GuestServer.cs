using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>A Kestrel server that hands every request to one guest, as <c>fastly compute serve</c> does.</summary>
public static class GuestServer
{
    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0 picks a free port); the app's URLs give the bound address.</summary>
    public static async Task<WebApplication> StartAsync(
        GuestRunner runner, IPEndPoint endpoint, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        var app = builder.Build();
        app.Run(async context =>
        {
            var info = new GuestRequestContext
            {
                ClientAddress = context.Connection.RemoteIpAddress,
                ServerAddress = context.Connection.LocalIpAddress,
                RequestId = context.TraceIdentifier,
            };
            await runner.RunAsync(context, info, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
