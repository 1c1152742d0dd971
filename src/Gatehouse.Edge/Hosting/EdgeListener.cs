using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Hosting;

/// <summary>Setup shared by the edge's Kestrel listeners: the public listener and the guest relay.</summary>
internal static class EdgeListener
{
    /// <summary>
    /// Creates a slim builder that logs to <paramref name="loggers"/> and listens on <paramref name="url"/> (when null,
    /// <paramref name="configureKestrel"/> adds the endpoints),
    /// sends no Server header and limits request bodies to <paramref name="maxRequestBodyBytes"/>.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        ILoggerFactory loggers, string? url, long maxRequestBodyBytes, Action<KestrelServerOptions>? configureKestrel = null)
    {
        RequestFraming.RejectBareLineFeeds();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new Gatehouse.Telemetry.HostLoggerFactory(loggers)));
        if (url is not null)
        {
            builder.WebHost.UseUrls(url);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
            configureKestrel?.Invoke(kestrel);
        });
        return builder;
    }

    /// <summary>Returns the address Kestrel bound, with the real port when port 0 was requested.</summary>
    public static Uri GetBoundAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
