using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.DevStack;

/// <summary>
/// Builder of the small in-process Kestrel applications of the development stack.
/// </summary>
internal static class LoopbackHost
{
    /// <summary>
    /// Creates a builder with Kestrel listening on <paramref name="endPoint"/> and logging to
    /// <paramref name="loggerFactory"/>. It reads no configuration files or environment variables, so
    /// <c>ASPNETCORE_URLS</c> and appsettings.json cannot move the listener.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        IPEndPoint endPoint, ILoggerFactory loggerFactory, Action<KestrelServerOptions>? configureKestrel = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
            configureKestrel?.Invoke(kestrel);
        });

        // The caller owns the logger factory, and registering the instance keeps the container from disposing it.
        builder.Services.AddSingleton(loggerFactory);
        return builder;
    }

    /// <summary>
    /// Returns the address Kestrel actually bound, which differs from the requested one when the port was 0.
    /// </summary>
    public static IPEndPoint GetBoundEndPoint(WebApplication app, IPEndPoint requested)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var first = addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"Kestrel reported no bound address for {requested}.");
        return new IPEndPoint(requested.Address, new Uri(first).Port);
    }
}
