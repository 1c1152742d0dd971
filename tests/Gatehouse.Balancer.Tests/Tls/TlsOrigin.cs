using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Tls;

/// <summary>
/// A test origin on 127.0.0.1 port 0, over TLS with a given certificate or as plain h2c. It replies
/// "NAME PROTOCOL" plus the value of the request's X-Client-DN header, if any.
/// </summary>
internal sealed class TlsOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsOrigin(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts an HTTPS origin; <paramref name="certificate"/> null starts a cleartext HTTP/2-only (h2c) origin.</summary>
    public static async Task<TlsOrigin> StartAsync(string name, X509Certificate2? certificate, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = certificate is null ? HttpProtocols.Http2 : protocols;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"{name} {context.Request.Protocol} {context.Request.Headers["X-Client-DN"]}".TrimEnd()));
        await app.StartAsync();
        return new TlsOrigin(app, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
