using System.Net;
using Gatehouse.Balancer.Tests.Runtime;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class OriginTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static string Config(string server, string backendLines = "") =>
        "defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n"
        + "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\n"
        + $"backend be\n{backendLines}    server s1 {server}\n";

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(TlsTestHost host, string hostHeader = "localhost")
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x") { Headers = { Host = hostHeader } };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VerifyRequired_TrustedOrigin_Forwards()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.Server, HttpProtocols.Http1);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile} sni str(localhost)"));

        var (status, body) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("o1 HTTP/1.1", body);
    }

    [Fact]
    public async Task VerifyRequired_WrongHostCertificate_503AndReasonLogged()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.WrongHost, HttpProtocols.Http1);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile} sni str(localhost)"));

        var (status, _) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("does not match the name 'localhost'", await host.Logs.WaitForAsync(2061) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequired_ExpiredCertificate_503AndReasonLogged()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.Expired, HttpProtocols.Http1);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile}"));

        var (status, _) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("certificate has expired", await host.Logs.WaitForAsync(2061) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyNone_ExpiredCertificate_Forwards()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.Expired, HttpProtocols.Http1);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify none"));

        var (status, body) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("o1 HTTP/1.1", body);
    }

    [Fact]
    public async Task SniRequestHost_CertificateCheckedAgainstHost()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.Server, HttpProtocols.Http1);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile} sni req.hdr(host)"));

        var (matching, _) = await GetAsync(host, "localhost");
        var (other, _) = await GetAsync(host, "wrong.example");

        Assert.Equal(HttpStatusCode.OK, matching);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, other);
    }

    [Fact]
    public async Task ClientCertificateToOrigin_Presented()
    {
        await using var origin = await MutualTlsOrigin.StartAsync(_certificates);
        await using var host = await TlsTestHost.StartAsync(Config(
            $"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile} crt {_certificates.ClientFile}"));

        var (status, body) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CN=client, O=Gatehouse Test", body);
    }

    [Fact]
    public async Task AlpnH2_TlsOrigin_UsesHttp2()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", _certificates.Server);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} ssl verify required ca-file {_certificates.AuthorityFile} alpn h2,http/1.1"));

        var (status, body) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("o1 HTTP/2", body);
    }

    [Fact]
    public async Task ProtoH2_CleartextOrigin_UsesH2c()
    {
        await using var origin = await TlsOrigin.StartAsync("o1", certificate: null);
        await using var host = await TlsTestHost.StartAsync(Config($"{origin.Address} proto h2"));

        var (status, body) = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("o1 HTTP/2", body);
    }

    [Fact]
    public async Task SslCheck_ExpiredOrigin_MarkedDown()
    {
        await using var good = await TlsOrigin.StartAsync("good", _certificates.Server, HttpProtocols.Http1);
        await using var expired = await TlsOrigin.StartAsync("expired", _certificates.Expired, HttpProtocols.Http1);
        var options = $"ssl verify required ca-file {_certificates.AuthorityFile} check inter 200ms fall 1 rise 1";
        await using var host = await TlsTestHost.StartAsync(Config($"{good.Address} {options}\n    server s2 {expired.Address} {options}"));

        var down = await host.Logs.WaitForAsync(2010);

        Assert.Contains("be/s2", down ?? "", StringComparison.Ordinal);
        Assert.Contains("certificate has expired", down ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Events, entry => entry.EventId == 2010 && entry.Message.Contains("be/s1", StringComparison.Ordinal));
    }
}
