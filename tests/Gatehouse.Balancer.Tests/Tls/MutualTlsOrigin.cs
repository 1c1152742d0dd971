using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tests.Tls;

/// <summary>An HTTPS origin that requires a client certificate from the test CA and replies with its subject.</summary>
internal sealed class MutualTlsOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MutualTlsOrigin(WebApplication app, int port)
    {
        _app = app;
        Address = $"127.0.0.1:{port}";
    }

    public string Address { get; }

    public static async Task<MutualTlsOrigin> StartAsync(TestCertificates certificates)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificates.Server;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => certificates.IsIssuedByAuthority(certificate);
        })));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Connection.ClientCertificate?.Subject ?? "none"));
        await app.StartAsync();
        return new MutualTlsOrigin(app, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
