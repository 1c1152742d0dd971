using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Health;

/// <summary>
/// An origin on 127.0.0.1 port 0 whose check path always returns 200 and whose other paths return
/// <see cref="TrafficStatus"/> with the origin name as body. It counts check and traffic requests apart.
/// </summary>
internal sealed class PassiveOrigin : IAsyncDisposable
{
    public const string HealthPath = "/health";

    private readonly WebApplication _app;
    private int _checks;
    private int _traffic;
    private volatile int _trafficStatus = 200;
    private bool _stopped;

    private PassiveOrigin(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int Checks => Volatile.Read(ref _checks);

    public int Traffic => Volatile.Read(ref _traffic);

    /// <summary>The status every path other than <see cref="HealthPath"/> returns; 200 at the start.</summary>
    public int TrafficStatus
    {
        get => _trafficStatus;
        set => _trafficStatus = value;
    }

    public static async Task<PassiveOrigin> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        PassiveOrigin? origin = null;
        app.Run(context => origin!.HandleAsync(context));
        await app.StartAsync();
        origin = new PassiveOrigin(app, name, new Uri(app.Urls.First()).Port);
        return origin;
    }

    /// <summary>Stops the listener, so new connections to <see cref="Address"/> are refused.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == HealthPath)
        {
            Interlocked.Increment(ref _checks);
            context.Response.StatusCode = 200;
            return;
        }

        Interlocked.Increment(ref _traffic);
        context.Response.StatusCode = _trafficStatus;
        await context.Response.WriteAsync(Name);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
    }
}
