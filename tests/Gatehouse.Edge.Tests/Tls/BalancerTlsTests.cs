using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tests.Tls;

/// <summary>The edge forwarding to a balancer stand-in: a Kestrel HTTPS server that requires a client certificate.</summary>
public sealed class BalancerTlsTests
{
    [Theory]
    [InlineData(false, "HTTP/1.1")]
    [InlineData(true, "HTTP/2")]
    public async Task TlsBalancer_Requests_UseMutualTlsOnOneConnection(bool http2, string protocol)
    {
        await using var edge = new TlsEdge();
        var serverCertificate = TestCertificates.CreateLeaf(edge.Root, "balancer", ["balancer.internal"]);
        var clientCertificate = edge.WriteLeaf("edge-client", "edge.internal");
        TestCertificates.WriteCertificate(edge.Root, Path.Combine(edge.Folder, "ca.pem"));
        await using var balancer = await MutualTlsServer.StartAsync(serverCertificate, edge.Root);
        await edge.StartAsync($$"""
            [balancer]
            url = "https://127.0.0.1:{{balancer.Port}}"
            http2 = {{(http2 ? "true" : "false")}}
            tls = { ca = "ca.pem", client_cert = "edge-client.pem", client_key = "edge-client.key", server_name = "balancer.internal" }

            [edge]
            listen = "127.0.0.1:0"
            """);
        using var client = new HttpClient();

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync(new Uri(edge.Edge.Address, $"/orders/{i}"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"status {response.StatusCode}; edge log: {BalancerErrors(edge)}");
            Assert.Equal($"{protocol} {clientCertificate.Thumbprint}", await response.Content.ReadAsStringAsync());
        }

        Assert.Single(balancer.Connections.Distinct());
    }

    [Fact]
    public async Task Edge_BalancerFromOtherCa_Gets502()
    {
        await using var edge = new TlsEdge();
        var otherRoot = TestCertificates.CreateAuthority("Other Root");
        var serverCertificate = TestCertificates.CreateLeaf(otherRoot, "balancer", ["balancer.internal"]);
        edge.WriteLeaf("edge-client", "edge.internal");
        TestCertificates.WriteCertificate(edge.Root, Path.Combine(edge.Folder, "ca.pem"));
        await using var balancer = await MutualTlsServer.StartAsync(serverCertificate, edge.Root);
        await edge.StartAsync($$"""
            [balancer]
            url = "https://127.0.0.1:{{balancer.Port}}"
            tls = { ca = "ca.pem", client_cert = "edge-client.pem", client_key = "edge-client.key", server_name = "balancer.internal" }
            """);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(edge.Edge.Address, "/orders/1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(balancer.Connections);
    }

    [Fact]
    public async Task Edge_WrongServerName_Gets502()
    {
        await using var edge = new TlsEdge();
        var serverCertificate = TestCertificates.CreateLeaf(edge.Root, "balancer", ["balancer.internal"]);
        edge.WriteLeaf("edge-client", "edge.internal");
        TestCertificates.WriteCertificate(edge.Root, Path.Combine(edge.Folder, "ca.pem"));
        await using var balancer = await MutualTlsServer.StartAsync(serverCertificate, edge.Root);
        await edge.StartAsync($$"""
            [balancer]
            url = "https://127.0.0.1:{{balancer.Port}}"
            tls = { ca = "ca.pem", client_cert = "edge-client.pem", client_key = "edge-client.key", server_name = "someone-else.internal" }
            """);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(edge.Edge.Address, "/orders/1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    private static string BalancerErrors(TlsEdge edge) =>
        string.Join(" | ", edge.Logs.Events.Where(entry => entry.Id.Id == 2010).Select(entry => entry.Message));

    /// <summary>Answers "PROTOCOL THUMBPRINT" of the client certificate and records each request's connection id.</summary>
    private sealed class MutualTlsServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MutualTlsServer(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public ConcurrentQueue<string> Connections { get; } = new();

        public static async Task<MutualTlsServer> StartAsync(X509Certificate2 certificate, X509Certificate2 clientRoot)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (client, _, _) => ChainsTo(client, clientRoot),
                });
            }));
            var app = builder.Build();
            MutualTlsServer? server = null;
            app.Run(async context =>
            {
                server!.Connections.Enqueue(context.Connection.Id);
                var client = await context.Connection.GetClientCertificateAsync();
                await context.Response.WriteAsync($"{context.Request.Protocol} {client?.Thumbprint}");
            });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            server = new MutualTlsServer(app, address.Port);
            return server;
        }

        private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            return chain.Build(certificate);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
