using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>A test origin on 127.0.0.1 port 0 that answers every request with one status and a JSON body naming itself.</summary>
internal sealed class StatusOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusOrigin(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int Requests;

    public static async Task<StatusOrigin> StartAsync(string name, int status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StatusOrigin? origin = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref origin!.Requests);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"origin":"{{name}}"}""");
        });
        await app.StartAsync();
        origin = new StatusOrigin(app, new Uri(app.Urls.First()).Port);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
