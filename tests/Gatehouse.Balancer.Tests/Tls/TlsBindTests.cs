using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Tests.Runtime;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class TlsBindTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static string Config(string bindOptions, string origin, string frontendLines = "") =>
        "defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n"
        + $"frontend fe\n    bind 127.0.0.1:0 {bindOptions}\n{frontendLines}    default_backend be\n"
        + $"backend be\n    server s1 {origin}\n";

    [Fact]
    public async Task HttpsBind_Http11_ReachesOrigin()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        await using var host = await TlsTestHost.StartAsync(Config($"ssl crt {_certificates.ServerFile}", origin.Address));
        var client = host.CreateClient(_certificates);

        using var response = await client.SendAsync(TlsTestHost.Get("/a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Contains("\"o1\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsBind_AlpnH2_ServesHttp2()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        await using var host = await TlsTestHost.StartAsync(
            Config($"ssl crt {_certificates.ServerFile} alpn h2,http/1.1", origin.Address, "    http-request set-header X-Alpn %[ssl_fc_alpn]\n"));
        var client = host.CreateClient(_certificates);

        using var response = await client.SendAsync(TlsTestHost.Get("/h2", version: HttpVersion.Version20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains("\"X-Alpn\":\"h2\"", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HttpsBind_WithoutAlpn_RefusesHttp2()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        await using var host = await TlsTestHost.StartAsync(Config($"ssl crt {_certificates.ServerFile}", origin.Address));
        var client = host.CreateClient(_certificates);

        var request = TlsTestHost.Get("/h2", version: HttpVersion.Version20);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task CrtDirectory_SniName_SelectsMatchingCertificate()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        await using var host = await TlsTestHost.StartAsync(Config(
            $"ssl crt {_certificates.SniDirectory}", origin.Address, "    http-request set-header X-Sni %[ssl_fc_sni]\n"));
        X509Certificate2? other = null;
        X509Certificate2? fallback = null;
        var otherClient = host.CreateClient(_certificates, seen: certificate => other = certificate);
        var fallbackClient = host.CreateClient(_certificates, seen: certificate => fallback = certificate);

        using var otherResponse = await otherClient.SendAsync(TlsTestHost.Get("/", host: "other.test"));
        using var fallbackResponse = await fallbackClient.SendAsync(TlsTestHost.Get("/", host: "unknown.test"));

        Assert.Equal("CN=other.test", other?.Subject);
        Assert.Contains("\"X-Sni\":\"other.test\"", await otherResponse.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("CN=localhost", fallback?.Subject);
    }

    [Fact]
    public async Task SslFetches_ProtocolAndFlag_VisibleToRules()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        await using var host = await TlsTestHost.StartAsync(Config(
            $"ssl crt {_certificates.ServerFile} ssl-min-ver TLSv1.3",
            origin.Address,
            "    acl tls ssl_fc\n    http-request set-header X-Proto %[ssl_fc_protocol] if tls\n    http-request set-header X-Cert %[ssl_c_used]\n"));
        var client = host.CreateClient(_certificates);

        using var response = await client.SendAsync(TlsTestHost.Get("/"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"X-Proto\":\"TLSv1.3\"", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"X-Cert\":\"0\"", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Reload_NewCertificate_UsedByNewConnections()
    {
        await using var origin = await EchoOrigin.StartAsync("o1");
        var otherFile = _certificates.Write("other.pem", TestCertificates.Pem(_certificates.Other));
        await using var host = await TlsTestHost.StartAsync(Config($"ssl crt {_certificates.ServerFile}", origin.Address));
        X509Certificate2? before = null;
        X509Certificate2? after = null;
        using var first = await host.CreateClient(_certificates, seen: certificate => before = certificate).SendAsync(TlsTestHost.Get("/", host: "other.test"));

        await host.Host.ReloadAsync(
            Gatehouse.Balancer.Configuration.BalancerConfigLoader.Parse(Config($"ssl crt {otherFile}", origin.Address), "t.cfg", new Dictionary<string, string>()),
            CancellationToken.None);
        using var second = await host.CreateClient(_certificates, seen: certificate => after = certificate).SendAsync(TlsTestHost.Get("/", host: "other.test"));

        Assert.Equal("CN=localhost", before?.Subject);
        Assert.Equal("CN=other.test", after?.Subject);
    }
}
