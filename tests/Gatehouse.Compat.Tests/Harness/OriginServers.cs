using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>One request as an origin server received it.</summary>
internal sealed record OriginRequest(string Server, string Method, string RawTarget, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// Four scripted origin servers, s1 to s4, on loopback ports chosen by Kestrel. Each records every request
/// and responds from a script carried by the request itself, so one scenario's requests decide its responses:
/// status from `x-script-status` (default 200), body "NAME METHOD TARGET", headers Content-Type,
/// X-Served-By and X-Powered-By, and one more response header per `x-script-header…: NAME: VALUE` request header.
/// Each needs its own name (x-script-header-1, x-script-header-2) because Gatehouse's client joins repeated lines. Shared by the tests of one class, which xunit runs one at a time.
/// </summary>
public sealed class OriginServers : IAsyncLifetime
{
    public static readonly string[] Names = ["s1", "s2", "s3", "s4"];

    private readonly List<WebApplication> _apps = [];
    private readonly ConcurrentQueue<OriginRequest> _received = new();
    private long _connections;

    /// <summary>
    /// Variable name (S1..S4) to "127.0.0.1:PORT", for `server NAME "${S1}"` lines, and REFUSED: a loopback port
    /// that was free when the fixture started, where nothing listens, so connecting to it is refused.
    /// </summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>Connections accepted by all four servers so far, including ones that carried no request.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    internal IReadOnlyList<OriginRequest> TakeReceived()
    {
        var taken = new List<OriginRequest>();
        while (_received.TryDequeue(out var request))
        {
            taken.Add(request);
        }

        return taken;
    }

    public async Task InitializeAsync()
    {
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Variables["REFUSED"] = $"127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}";
            probe.Stop();
        }

        foreach (var name in Names)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref _connections);
                    return next(connection);
                }));
            });
            var app = builder.Build();
            app.Run(context => AnswerAsync(name, context));
            await app.StartAsync();
            _apps.Add(app);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            var port = new Uri(addresses.First()).Port;
            Variables[name.ToUpperInvariant()] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static (string Name, string Value) SplitHeader(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    private Task AnswerAsync(string name, HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = context.Request.Headers
            .SelectMany(header => header.Value.Select(value => new KeyValuePair<string, string>(header.Key.ToLowerInvariant(), value ?? "")))
            .ToList();
        _received.Enqueue(new OriginRequest(name, context.Request.Method, target, headers));

        var status = context.Request.Headers["x-script-status"].ToString();
        context.Response.StatusCode = status.Length > 0 ? int.Parse(status, CultureInfo.InvariantCulture) : 200;
        context.Response.ContentType = "text/plain";
        context.Response.Headers["X-Served-By"] = name;
        context.Response.Headers["X-Powered-By"] = "compat-origin";
        foreach (var (key, scripted) in context.Request.Headers)
        {
            if (!key.StartsWith("x-script-header", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var (headerName, value) = SplitHeader(scripted.ToString());
            if (headerName.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = value;
            }
            else
            {
                context.Response.Headers.Append(headerName, value);
            }
        }

        var body = Encoding.UTF8.GetBytes($"{name} {context.Request.Method} {target}");
        context.Response.ContentLength = body.Length;
        return context.Request.Method == "HEAD" ? Task.CompletedTask : context.Response.Body.WriteAsync(body).AsTask();
    }
}
