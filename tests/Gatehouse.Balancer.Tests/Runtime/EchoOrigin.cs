using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>
/// A test origin on 127.0.0.1 port 0. It replies with JSON naming itself, the raw request target and
/// the request headers, sends a UTF-8 header, and never replies to paths under /stall.
/// </summary>
internal sealed class EchoOrigin : IAsyncDisposable
{
    public const string Utf8HeaderValue = "grüße ✓";

    private readonly WebApplication _app;

    private EchoOrigin(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<EchoOrigin> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/stall"))
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            }

            var echo = new EchoReply(
                name,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            context.Response.Headers["X-Utf8"] = Utf8HeaderValue;
            await context.Response.WriteAsJsonAsync(echo);
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new EchoOrigin(app, name, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record EchoReply(string Origin, string Target, Dictionary<string, string> Headers)
{
    public static async Task<EchoReply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var reply = JsonSerializer.Deserialize<EchoReply>(text, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Origin replied with no JSON: {text}");
        return reply with { Headers = new Dictionary<string, string>(reply.Headers, StringComparer.OrdinalIgnoreCase) };
    }
}
