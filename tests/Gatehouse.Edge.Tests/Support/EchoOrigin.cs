using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tests.Support;

/// <summary>
/// An origin on a loopback port that returns, as JSON, the request target and every header line it received,
/// so tests can see exactly what the edge forwarded.
/// </summary>
internal sealed class EchoOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoOrigin(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EchoOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        var app = builder.Build();
        app.Run(EchoAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoOrigin(app, new Uri(address));
    }

    private static Task EchoAsync(HttpContext context)
    {
        var headers = new List<string[]>();
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add([name, value ?? string.Empty]);
            }
        }

        context.Response.ContentType = "application/json";
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { target, headers }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the echo origin received, parsed from its response.</summary>
internal sealed record EchoedRequest(string Target, IReadOnlyList<(string Name, string Value)> Headers)
{
    public static EchoedRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var headers = root.GetProperty("headers").EnumerateArray()
            .Select(pair => (pair[0].GetString()!, pair[1].GetString()!))
            .ToList();
        return new EchoedRequest(root.GetProperty("target").GetString()!, headers);
    }

    /// <summary>Returns every value received for a header name, one per field line, compared case-insensitively.</summary>
    public IReadOnlyList<string> Values(string name) =>
        Headers.Where(header => header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(header => header.Value).ToList();
}
