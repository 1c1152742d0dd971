using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tests.Tracing;

/// <summary>A Kestrel listener on 127.0.0.1:0 that stores every OTLP POST it receives and returns 200.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Posts { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (body.Length <= MaxBodyBytes)
            {
                receiver.Posts.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Address = new Uri(address);
        return receiver;
    }

    /// <summary>Waits until a POST to <paramref name="path"/> contains <paramref name="bytes"/>, or fails after 30 s.</summary>
    public async Task<(string Path, string? ContentType, byte[] Body)> WaitForAsync(string path, byte[] bytes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var post in Posts)
            {
                if (post.Path == path && post.Body.AsSpan().IndexOf(bytes) >= 0)
                {
                    return post;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no POST to {path} containing the expected bytes within 30 s; received {Posts.Count} POSTs");
    }

    /// <summary>Returns true when any POST received so far contains <paramref name="bytes"/>.</summary>
    public bool AnyContains(byte[] bytes) => Posts.Any(post => post.Body.AsSpan().IndexOf(bytes) >= 0);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
