using System.Net;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class MutualTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private async Task<(TlsTestHost, TlsOrigin)> StartAsync(string verify)
    {
        var origin = await TlsOrigin.StartAsync("o1", _certificates.Server, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
        var host = await TlsTestHost.StartAsync(
            "defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n"
            + $"frontend fe\n    bind 127.0.0.1:0 ssl crt {_certificates.ServerFile} verify {verify} ca-file {_certificates.AuthorityFile}\n"
            + "    http-request set-header X-Client-DN %[ssl_c_s_dn] if { ssl_c_used }\n"
            + "    http-request set-header X-Client-DN none unless { ssl_c_used }\n"
            + "    http-request deny if { ssl_c_verify gt 0 }\n"
            + "    default_backend be\n"
            + $"backend be\n    server s1 {origin.Address} ssl verify required ca-file {_certificates.AuthorityFile}\n");
        return (host, origin);
    }

    [Fact]
    public async Task VerifyRequired_NoClientCertificate_RejectedAtHandshake()
    {
        var (host, origin) = await StartAsync("required");
        await using var _ = host;
        await using var __ = origin;
        var client = host.CreateClient(_certificates);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(TlsTestHost.Get("/")));

        Assert.NotNull(exception);
        Assert.Contains("no client certificate", await host.Logs.WaitForAsync(2060) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequired_ClientCertificate_AcceptedWithSubjectHeader()
    {
        var (host, origin) = await StartAsync("required");
        await using var _ = host;
        await using var __ = origin;
        var client = host.CreateClient(_certificates, _certificates.Client);

        using var response = await client.SendAsync(TlsTestHost.Get("/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("o1 HTTP/1.1 /O=Gatehouse Test/CN=client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VerifyRequired_UntrustedClientCertificate_Rejected()
    {
        var (host, origin) = await StartAsync("required");
        await using var _ = host;
        await using var __ = origin;
        var client = host.CreateClient(_certificates, _certificates.Stranger);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(TlsTestHost.Get("/")));

        Assert.Contains("CN=stranger", await host.Logs.WaitForAsync(2060) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyOptional_NoClientCertificate_Accepted()
    {
        var (host, origin) = await StartAsync("optional");
        await using var _ = host;
        await using var __ = origin;
        var client = host.CreateClient(_certificates);

        using var response = await client.SendAsync(TlsTestHost.Get("/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("o1 HTTP/1.1 none", await response.Content.ReadAsStringAsync());
    }
}
