using System.Net.Quic;
using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Tls;

public sealed class TlsConfigTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gh-tlscfg-" + Guid.NewGuid().ToString("N"));

    public TlsConfigTests()
    {
        Directory.CreateDirectory(_folder);
        var root = TestCertificates.CreateAuthority("Config Root");
        TestCertificates.WritePem(TestCertificates.CreateLeaf(root, "site", ["www.example.test"]), InFolder("site.pem"), InFolder("site.key"));
        TestCertificates.WritePem(TestCertificates.CreateLeaf(root, "other", ["other.test"]), InFolder("other.pem"), InFolder("other.key"));
        TestCertificates.WriteCertificate(root, InFolder("ca.pem"));
    }

    [Fact]
    public void Listeners_FullSyntax_Loads()
    {
        var config = Parse("""
            [[listeners]]
            address = "127.0.0.1:8080"
            plain = "redirect"
            redirect_port = 443

            [[listeners]]
            address = "[::1]:8443"
            [[listeners.certificates]]
            cert = "site.pem"
            key = "site.key"
            sni = ["WWW.example.test", "*.apps.example.test"]
            [[listeners.certificates]]
            cert = "other.pem"
            key = "other.key"
            """);

        Assert.False(config.ServesEdgeListen);
        Assert.Equal(2, config.Listeners.Count);
        Assert.Equal(PlainMode.Redirect, config.Listeners[0].Mode);
        Assert.Equal(443, config.Listeners[0].RedirectPort);
        Assert.False(config.Listeners[0].IsTls);
        Assert.Equal(2, config.Listeners[1].Certificates.Count);
        Assert.Equal(["www.example.test", "*.apps.example.test"], config.Listeners[1].Certificates[0].ServerNames);
        Assert.Equal(InFolder("site.pem"), config.Listeners[1].Certificates[0].CertificatePath);
    }

    [Fact]
    public void Listeners_WithEdgeListen_KeepBoth()
    {
        var config = Parse("[edge]\nlisten = \"127.0.0.1:8080\"\n\n[[listeners]]\naddress = \"127.0.0.1:8443\"\n[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"site.key\"\n");

        Assert.True(config.ServesEdgeListen);
        Assert.Single(config.Listeners);
    }

    [Fact]
    public void Listeners_EdgeListenHostName_Rejected()
    {
        var message = RejectOne("[edge]\nlisten = \"gateway.example:8080\"\n\n[[listeners]]\naddress = \"127.0.0.1:8081\"\n");

        Assert.StartsWith("edge.toml:2: key 'listen' in [edge] must be IP:port", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_MissingCertificateFile_NamesLine()
    {
        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8443\"\n[[listeners.certificates]]\ncert = \"missing.pem\"\nkey = \"site.key\"\n");

        Assert.StartsWith("edge.toml:4: [[listeners.certificates]]: ", message, StringComparison.Ordinal);
        Assert.Contains("missing.pem", message, StringComparison.Ordinal);
        Assert.Contains("not found", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_KeyOfOtherCertificate_Rejected()
    {
        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8443\"\n[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"other.key\"\n");

        Assert.StartsWith("edge.toml:4: ", message, StringComparison.Ordinal);
        Assert.Contains("does not match certificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_ExpiredCertificate_Rejected()
    {
        var root = TestCertificates.CreateAuthority("Expired Root");
        var expired = TestCertificates.CreateLeaf(root, "old", ["old.test"], DateTimeOffset.UtcNow.AddSeconds(-50), DateTimeOffset.UtcNow.AddSeconds(-10));
        TestCertificates.WritePem(expired, InFolder("old.pem"), InFolder("old.key"));

        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8443\"\n[[listeners.certificates]]\ncert = \"old.pem\"\nkey = \"old.key\"\n");

        Assert.StartsWith("edge.toml:4: ", message, StringComparison.Ordinal);
        Assert.Contains("expired", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("address = \"example.com:8443\"", "edge.toml:2: key 'address' in [[listeners]] must be IP:port")]
    [InlineData("address = \"127.0.0.1:8443\"\nplain = \"upgrade\"", "edge.toml:3: key 'plain' in [[listeners]] must be \"serve\" or \"redirect\"")]
    [InlineData("address = \"127.0.0.1:8443\"\nredirect_port = 443", "edge.toml:3: key 'redirect_port' in [[listeners]] only applies with plain = \"redirect\"")]
    [InlineData("address = \"127.0.0.1:8443\"\nhttp3 = true", "edge.toml:3: key 'http3' in [[listeners]] needs TLS")]
    [InlineData("address = \"127.0.0.1:8443\"\ncert = \"site.pem\"", "edge.toml:3: unknown key 'cert' in [[listeners]]")]
    public void Listeners_BadKey_NamesLineAndFix(string body, string expected)
    {
        var message = RejectOne("[[listeners]]\n" + body + "\n");

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_PlainOnTlsListener_Rejected()
    {
        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8443\"\nplain = \"redirect\"\n[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"site.key\"\n");

        Assert.StartsWith("edge.toml:3: key 'plain' in [[listeners]] only applies to listeners without [[listeners.certificates]]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_CertificatesBeforeListener_Rejected()
    {
        var message = RejectOne("[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"site.key\"\n");

        Assert.StartsWith("edge.toml:1: [[listeners.certificates]] must follow the [[listeners]] section", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_BadSniName_Rejected()
    {
        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8443\"\n[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"site.key\"\nsni = [\"a.*.test\"]\n");

        Assert.StartsWith("edge.toml:6: key 'sni' in [[listeners.certificates]] has \"a.*.test\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_SameFixedAddress_Rejected()
    {
        var message = RejectOne("[[listeners]]\naddress = \"127.0.0.1:8080\"\n\n[[listeners]]\naddress = \"127.0.0.1:8080\"\n");

        Assert.StartsWith("edge.toml:4: [[listeners]] address \"127.0.0.1:8080\" is already used at line 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listeners_Http3_RequiresMsQuic()
    {
        var toml = "[[listeners]]\naddress = \"127.0.0.1:8443\"\nhttp3 = true\n[[listeners.certificates]]\ncert = \"site.pem\"\nkey = \"site.key\"\n";
        var supported = (OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) && QuicListener.IsSupported;

        if (supported)
        {
            Assert.True(Parse(toml).Listeners[0].Http3);
        }
        else
        {
            var message = RejectOne(toml);
            Assert.StartsWith("edge.toml:3: key 'http3' in [[listeners]] needs QUIC", message, StringComparison.Ordinal);
            Assert.Contains("install libmsquic", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BalancerTls_InlineTable_Loads()
    {
        var config = Parse("""
            [balancer]
            url = "https://127.0.0.1:8081"
            http2 = true
            tls = { ca = "ca.pem", client_cert = "site.pem", client_key = "site.key", server_name = "balancer.internal" }
            """);

        Assert.True(config.BalancerHttp2);
        Assert.Equal(InFolder("ca.pem"), config.BalancerTls?.CaPath);
        Assert.Equal(InFolder("site.pem"), config.BalancerTls?.ClientCertificatePath);
        Assert.Equal(InFolder("site.key"), config.BalancerTls?.ClientKeyPath);
        Assert.Equal("balancer.internal", config.BalancerTls?.ServerName);
    }

    [Fact]
    public void BalancerTls_Table_Loads()
    {
        var config = Parse("[balancer]\nurl = \"https://127.0.0.1:8081\"\n\n[balancer.tls]\nca = \"ca.pem\"\n");

        Assert.Equal(InFolder("ca.pem"), config.BalancerTls?.CaPath);
        Assert.False(config.BalancerHttp2);
    }

    [Theory]
    [InlineData("url = \"http://127.0.0.1:8081\"\ntls = { ca = \"ca.pem\" }", "edge.toml:3: TLS settings for the balancer need an https:// url")]
    [InlineData("url = \"https://127.0.0.1:8081\"\ntls = { client_cert = \"site.pem\" }", "edge.toml:3: the balancer's 'client_cert' and 'client_key' must be set together")]
    [InlineData("url = \"https://127.0.0.1:8081\"\ntls = { ca = \"nope.pem\" }", "edge.toml:3: key 'ca' in [balancer.tls]: file")]
    [InlineData("url = \"https://127.0.0.1:8081\"\ntls = { cafile = \"ca.pem\" }", "edge.toml:3: unknown key 'cafile' in [balancer.tls]")]
    [InlineData("url = \"https://127.0.0.1:8081\"\ntls = \"ca.pem\"", "edge.toml:3: key 'tls' in [balancer] must be an inline table")]
    public void BalancerTls_BadSetting_NamesLineAndFix(string body, string expected)
    {
        var message = RejectOne("[balancer]\n" + body + "\n");

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string InFolder(string name) => Path.Combine(_folder, name);

    private EdgeConfig Parse(string toml) => EdgeConfigLoader.Parse(toml, InFolder("edge.toml"), new Dictionary<string, string>());

    private string RejectOne(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Parse(toml)).Errors);
}
