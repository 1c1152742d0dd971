using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>
/// The TLS test setup shared by the TLS scenarios: the certificates and three HTTPS origins on loopback, TLS_GOOD with
/// a valid localhost certificate, TLS_EXPIRED with an expired one and TLS_WRONG with one for wrong.example. Each
/// replies "NAME METHOD TARGET" over HTTP/1.1.
/// </summary>
public sealed class TlsOriginServers : IAsyncLifetime, IDisposable
{
    private readonly List<WebApplication> _apps = [];
    private CompatCertificates? _certificates;

    internal CompatCertificates Certificates => _certificates!;

    /// <summary>TLS_GOOD, TLS_EXPIRED, TLS_WRONG as "127.0.0.1:PORT", plus the certificate paths of <see cref="CompatCertificates.Variables"/>.</summary>
    public Dictionary<string, string> Variables { get; } = [];

    public async Task InitializeAsync()
    {
        _certificates = new CompatCertificates();
        foreach (var (name, value) in _certificates.Variables)
        {
            Variables[name] = value;
        }

        Variables["TLS_GOOD"] = await StartAsync("good", _certificates.Server);
        Variables["TLS_EXPIRED"] = await StartAsync("expired", _certificates.Expired);
        Variables["TLS_WRONG"] = await StartAsync("wrong", _certificates.WrongHost);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Deletes the certificate files; xunit calls it after <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => _certificates?.Dispose();

    private async Task<string> StartAsync(string name, X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync($"{name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
        });
        await app.StartAsync();
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return $"127.0.0.1:{new Uri(address).Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
