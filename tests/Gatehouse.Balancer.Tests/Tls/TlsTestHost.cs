using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Tests.Tls;

/// <summary>A balancer started from a configuration text, with its logs recorded and HTTPS clients for its first frontend.</summary>
internal sealed class TlsTestHost : IAsyncDisposable
{
    private readonly List<HttpMessageInvoker> _clients = [];

    private TlsTestHost(BalancerHost host, RecordingLoggerProvider logs, int port)
    {
        Host = host;
        Logs = logs;
        Port = port;
    }

    public BalancerHost Host { get; }

    public RecordingLoggerProvider Logs { get; }

    public int Port { get; }

    public static async Task<TlsTestHost> StartAsync(string cfg)
    {
        var logs = new RecordingLoggerProvider();
        var config = BalancerConfigLoader.Parse(cfg, "t.cfg", new Dictionary<string, string>());
        var host = await BalancerHost.StartAsync(config, new BalancerHostOptions { LoggerFactory = logs.CreateFactory() }, CancellationToken.None);
        return new TlsTestHost(host, logs, host.BoundAddresses[config.Frontends[0].Name][0].Port);
    }

    /// <summary>
    /// Creates a client that trusts the test CA, sends <paramref name="serverName"/> as SNI (through the Host header)
    /// and presents <paramref name="clientCertificate"/> when given. <paramref name="seen"/> receives the server's certificate.
    /// </summary>
    public HttpClient CreateClient(TestCertificates certificates, X509Certificate2? clientCertificate = null, Action<X509Certificate2>? seen = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is not null)
                    {
                        seen?.Invoke(new X509Certificate2(certificate));
                    }

                    return certificates.IsIssuedByAuthority(certificate);
                },
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        _clients.Add(client);
        return client;
    }

    public static HttpRequestMessage Get(string path, string host = "localhost", Version? version = null) => new(HttpMethod.Get, path)
    {
        Headers = { Host = host },
        Version = version ?? HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
    }
}
