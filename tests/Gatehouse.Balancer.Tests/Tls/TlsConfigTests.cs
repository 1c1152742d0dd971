using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class TlsConfigTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static string Error(string frontendBind, string server = "127.0.0.1:8080")
    {
        var text = $"frontend fe\n    bind {frontendBind}\n    default_backend be\nbackend be\n    server s1 {server}\n";
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));
        // A frontend whose bind line failed also reports that it has no bind; the error under test is the one on line 2 or 5.
        return Assert.Single(exception.Errors, error => error.StartsWith("t.cfg:2:", StringComparison.Ordinal) || error.StartsWith("t.cfg:5:", StringComparison.Ordinal));
    }

    private static BalancerConfig Parse(string frontendBind, string server) =>
        BalancerConfigLoader.Parse(
            $"frontend fe\n    bind {frontendBind}\n    default_backend be\nbackend be\n    server s1 {server}\n", "t.cfg", new Dictionary<string, string>());

    [Fact]
    public void Bind_MissingCrtFile_ErrorNamesFileAndLine()
    {
        var error = Error("127.0.0.1:0 ssl crt /nonexistent/site.pem");

        Assert.StartsWith("t.cfg:2", error, StringComparison.Ordinal);
        Assert.Contains("'/nonexistent/site.pem' not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_InvalidPem_Error()
    {
        var path = _certificates.Write("junk.pem", "not a certificate\n");

        var error = Error($"127.0.0.1:0 ssl crt {path}");

        Assert.Contains("holds no PEM certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_KeyOfAnotherCertificate_Error()
    {
        var pem = _certificates.Server.ExportCertificatePem() + "\n" + _certificates.Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var path = _certificates.Write("mismatch.pem", pem);

        var error = Error($"127.0.0.1:0 ssl crt {path}");

        Assert.Contains("does not match its certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_KeyInSeparateFile_Loaded()
    {
        var path = _certificates.Write("split.pem", _certificates.Server.ExportCertificatePem());
        _certificates.Write("split.pem.key", _certificates.Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var config = Parse($"127.0.0.1:0 ssl crt {path}", "127.0.0.1:8080");

        Assert.Equal("CN=localhost", config.Frontends[0].Binds[0].Tls!.Certificates[0].TargetCertificate.Subject);
    }

    [Fact]
    public void Bind_NoKey_ErrorNamesKeyFile()
    {
        var path = _certificates.Write("nokey.pem", _certificates.Server.ExportCertificatePem());

        var error = Error($"127.0.0.1:0 ssl crt {path}");

        Assert.Contains($"'{path}.key'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownOption_ErrorListsOptions()
    {
        var error = Error($"127.0.0.1:0 ssl crt {_certificates.ServerFile} alpm h2");

        Assert.Contains("unknown option 'alpm'", error, StringComparison.Ordinal);
        Assert.Contains("alpn", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_SslWithoutCrt_Error()
    {
        Assert.Contains("needs at least one certificate", Error("127.0.0.1:0 ssl"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_VerifyWithoutCaFile_Error()
    {
        Assert.Contains("needs 'ca-file FILE'", Error($"127.0.0.1:0 ssl crt {_certificates.ServerFile} verify required"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_OldTlsVersion_Error()
    {
        var error = Error($"127.0.0.1:0 ssl crt {_certificates.ServerFile} ssl-min-ver TLSv1.0");

        Assert.Contains("only TLSv1.2 and TLSv1.3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_AllOptions_Parsed()
    {
        var config = Parse(
            $"127.0.0.1:0 ssl crt {_certificates.SniDirectory} crt {_certificates.ServerFile} alpn h2,http/1.1 ssl-min-ver TLSv1.2 "
            + $"ssl-max-ver TLSv1.3 verify optional ca-file {_certificates.AuthorityFile}",
            "127.0.0.1:8080");

        var tls = config.Frontends[0].Binds[0].Tls!;
        Assert.Equal(3, tls.Certificates.Count);
        Assert.True(tls.OffersHttp2);
        Assert.Equal(Gatehouse.Balancer.Tls.ClientVerify.Optional, tls.Verify);
    }

    [Fact]
    public void Server_SslWithoutCaFile_ErrorSuggestsVerifyNone()
    {
        var error = Error("127.0.0.1:0", "127.0.0.1:8443 ssl");

        Assert.StartsWith("t.cfg:5", error, StringComparison.Ordinal);
        Assert.Contains("'verify none'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_TlsOptionWithoutSsl_Error()
    {
        Assert.Contains("need 'ssl'", Error("127.0.0.1:0", "127.0.0.1:8443 verify none"), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_BadProto_Error()
    {
        Assert.Contains("option 'proto' expects h2", Error("127.0.0.1:0", "127.0.0.1:8443 proto h3"), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_AllOptions_Parsed()
    {
        var config = Parse(
            "127.0.0.1:0",
            $"127.0.0.1:8443 ssl verify required ca-file {_certificates.AuthorityFile} sni str(origin.test) alpn h2 crt {_certificates.ClientFile} check-ssl proto h2");

        var server = config.Backends[0].Servers[0];
        Assert.Equal("origin.test", server.Tls!.SniLiteral);
        Assert.True(server.Http2);
        Assert.NotNull(server.Tls.ClientCertificate);
    }
}
