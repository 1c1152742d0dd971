using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Edge.Tests.Tls;

public sealed class TlsListenerTests
{
    private const string TwoCertificates = """
        [[listeners]]
        address = "127.0.0.1:0"

        [[listeners.certificates]]
        cert = "default.pem"
        key = "default.key"

        [[listeners.certificates]]
        cert = "site.pem"
        key = "site.key"
        sni = ["www.example.test", "*.apps.example.test"]
        """;

    [Theory]
    [InlineData("www.example.test", "CN=site")]
    [InlineData("WWW.Example.Test", "CN=site")]
    [InlineData("api.apps.example.test", "CN=site")]
    [InlineData("apps.example.test", "CN=default")]
    [InlineData("a.b.apps.example.test", "CN=default")]
    [InlineData("other.test", "CN=default")]
    public async Task Listener_SniName_ChoosesCertificate(string serverName, string expectedSubject)
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        edge.WriteLeaf("site", "www.example.test", "*.apps.example.test");
        await edge.StartAsync(TwoCertificates);

        var served = await HandshakeAsync(edge, serverName, SslProtocols.None, SslApplicationProtocol.Http11);

        Assert.Equal(expectedSubject, served.Certificate.Subject);
    }

    [Fact]
    public async Task Listener_NoSni_ServesFirstCertificate()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        edge.WriteLeaf("site", "www.example.test");
        await edge.StartAsync(TwoCertificates);

        // SslStream sends no SNI for an IP address target.
        var served = await HandshakeAsync(edge, "127.0.0.1", SslProtocols.None, SslApplicationProtocol.Http11);

        Assert.Equal("CN=default", served.Certificate.Subject);
    }

    [Fact]
    public async Task Listener_ChainFile_SendsIntermediate()
    {
        await using var edge = new TlsEdge();
        var intermediate = TestCertificates.CreateIntermediate(edge.Root, "Gatehouse Test Intermediate");
        var leaf = TestCertificates.CreateLeaf(intermediate, "chained", ["127.0.0.1"]);
        TestCertificates.WritePem(leaf, Path.Combine(edge.Folder, "chained.pem"), Path.Combine(edge.Folder, "chained.key"), intermediate);
        await edge.StartAsync("""
            [[listeners]]
            address = "127.0.0.1:0"
            [[listeners.certificates]]
            cert = "chained.pem"
            key = "chained.key"
            """);
        X509Certificate2Collection? sent = null;
        using var client = edge.CreateClient(onCertificate: (_, chain) => sent = chain?.ChainPolicy.ExtraStore);

        using var response = await client.GetAsync(new Uri(edge.Https, "/anything"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(sent);
        Assert.Contains(sent, certificate => certificate.Thumbprint == intermediate.Thumbprint);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Listener_SupportedVersion_Negotiates(SslProtocols version)
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(OneCertificate);

        var served = await HandshakeAsync(edge, "127.0.0.1", version, SslApplicationProtocol.Http11);

        Assert.Equal(version, served.Protocol);
    }

    [Fact]
    public async Task Listener_Tls11Client_Fails()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(OneCertificate);

#pragma warning disable SYSLIB0039, CA5397 // The obsolete version is the point of the test.
        var handshake = HandshakeAsync(edge, "127.0.0.1", SslProtocols.Tls11, SslApplicationProtocol.Http11);
#pragma warning restore SYSLIB0039, CA5397

        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Listener_Alpn_NegotiatesOfferedProtocol(string protocol)
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(OneCertificate);
        var offered = protocol == "h2" ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11;

        var served = await HandshakeAsync(edge, "127.0.0.1", SslProtocols.None, offered);

        Assert.Equal(offered, served.Alpn);
    }

    [Fact]
    public async Task RedirectListener_Request_Gets308KeepingTarget()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync("""
            [[listeners]]
            address = "127.0.0.1:0"
            plain = "redirect"

            """ + OneCertificate);
        var plain = edge.Edge.Addresses[0];
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

        using var response = await client.GetAsync(new Uri(plain, "/a/%2Fb/c?x=1&y=%20"));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://127.0.0.1:{edge.Https.Port}/a/%2Fb/c?x=1&y=%20", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RedirectListener_RedirectPort_NamesThatPort()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync("""
            [[listeners]]
            address = "127.0.0.1:0"
            plain = "redirect"
            redirect_port = 443

            """ + OneCertificate);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.Edge.Addresses[0], "/login?next=%2F"));
        request.Headers.Host = "www.example.test:8080";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("https://www.example.test/login?next=%2F", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PlainServeListener_Request_IsForwarded()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync("""
            [[listeners]]
            address = "127.0.0.1:0"

            """ + OneCertificate);
        using var client = new HttpClient();

        using var plain = await client.GetAsync(new Uri(edge.Edge.Addresses[0], "/x"));
        using var tlsClient = edge.CreateClient();
        using var secure = await tlsClient.GetAsync(new Uri(edge.Https, "/x"));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal(2, edge.Edge.Addresses.Count);
    }

    internal const string OneCertificate = """
        [[listeners]]
        address = "127.0.0.1:0"
        [[listeners.certificates]]
        cert = "default.pem"
        key = "default.key"
        """;

    private static async Task<(X509Certificate2 Certificate, SslProtocols Protocol, SslApplicationProtocol Alpn)> HandshakeAsync(
        TlsEdge edge, string serverName, SslProtocols protocols, SslApplicationProtocol alpn)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, edge.Https.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [alpn],
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => edge.TrustsRoot(new X509Certificate2(certificate!), chain),
        });
        return (new X509Certificate2(ssl.RemoteCertificate!), ssl.SslProtocol, ssl.NegotiatedApplicationProtocol);
    }
}
