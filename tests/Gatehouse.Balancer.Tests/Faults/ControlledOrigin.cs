using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Faults;

/// <summary>
/// An origin on 127.0.0.1 port 0 whose health check path the test switches between passing and failing. Every
/// other path returns 200 with <c>{"origin":NAME}</c>, after <see cref="SlowDelay"/> for paths under /slow/.
/// It counts check requests and traffic requests apart.
/// </summary>
internal sealed class ControlledOrigin : IAsyncDisposable
{
    public const string HealthPath = "/health";
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(300);

    private readonly WebApplication _app;
    private int _checks;
    private int _traffic;
    private volatile bool _healthy = true;

    private ControlledOrigin(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Address => $"127.0.0.1:{new Uri(_app.Urls.First()).Port}";

    public int Checks => Volatile.Read(ref _checks);

    public int Traffic => Volatile.Read(ref _traffic);

    /// <summary>Whether <see cref="HealthPath"/> returns 200 (true, the start) or 503.</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<ControlledOrigin> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var origin = new ControlledOrigin(app, name);
        app.Run(origin.HandleAsync);
        await app.StartAsync();
        return origin;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == HealthPath)
        {
            Interlocked.Increment(ref _checks);
            context.Response.StatusCode = _healthy ? 200 : 503;
            return;
        }

        Interlocked.Increment(ref _traffic);
        if (context.Request.Path.StartsWithSegments("/slow", StringComparison.Ordinal))
        {
            await Task.Delay(SlowDelay, context.RequestAborted);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"origin":"{{Name}}"}""");
    }

    /// <summary>Returns the origin name from a 200 response's JSON body.</summary>
    public static async Task<string> ReadNameAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("origin").GetString() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
