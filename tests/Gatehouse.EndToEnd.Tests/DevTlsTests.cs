using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Tests.Observability;
using Gatehouse.Cli.Stack;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.EndToEnd.Tests;

/// <summary><c>gatehouse up --tls</c>: the development CA, the HTTPS listener beside the plain one, and reuse on restart.</summary>
public sealed class DevTlsTests : IAsyncLifetime
{
    private readonly string _runRoot = Path.Combine(Path.GetTempPath(), "gatehouse-e2e-tls-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task UpTls_Start_ServesHttpsTrustedByDevCa()
    {
        await using var stack = await StartAsync();
        var https = stack.Edge.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttps);
        using var client = CreateClient(Path.Combine(_runRoot, "tls", "ca.pem"));

        using var hello = await client.GetAsync(new Uri(https, "/api/public/hello"));
        using var asset = await client.GetAsync(new Uri(https, "/static/hello.txt"));
        using var plain = await new HttpClient().GetAsync(new Uri(stack.Edge.Address, "/static/hello.txt"));

        Assert.Equal("127.0.0.1", https.Host);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal(HttpVersion.Version20, hello.Version);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("http", stack.Edge.Address.Scheme);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_runRoot, "tls", "ca.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_runRoot, "tls", "edge.key")));
        }

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(Path.Combine(_runRoot, "tls", "ca.pem"));
        var ca = Assert.Single(certificates);
        Assert.Equal("CN=Gatehouse Development CA", ca.Subject);
        Assert.Equal("1.2.840.10045.2.1", ca.PublicKey.Oid.Value);
    }

    [Fact]
    public async Task UpTls_Chromium_LoadsPageOverHttp2()
    {
        var chromium = HeadlessChromium.Require();
        await using var stack = await StartAsync();
        var https = stack.Edge.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttps);
        // Chromium trusts the edge's leaf by its key hash, so the check covers this certificate and no other.
        using var leaf = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(_runRoot, "tls", "edge.pem")));
        var spki = Convert.ToBase64String(SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo()));
        var netLog = Path.Combine(_runRoot, "chromium-net-log.json");

        var (exitCode, dom, error) = await HeadlessChromium.RunAsync(chromium,
            "--user-data-dir=" + Path.Combine(_runRoot, "chromium-profile"),
            "--ignore-certificate-errors-spki-list=" + spki,
            "--log-net-log=" + netLog,
            "--dump-dom",
            new Uri(https, "/api/public/hello").ToString());

        Assert.True(exitCode == 0, error);
        // The demo origin echoes what it received: the path, and the request id the edge added.
        Assert.Contains("\"path\":\"/api/public/hello\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"X-Request-ID\":[\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"negotiated_protocol\":\"h2\"", await File.ReadAllTextAsync(netLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpTls_Restart_ReusesValidCertificates()
    {
        string caBefore;
        string leafBefore;
        await using (await StartAsync())
        {
            caBefore = await File.ReadAllTextAsync(Path.Combine(_runRoot, "tls", "ca.pem"));
            leafBefore = await File.ReadAllTextAsync(Path.Combine(_runRoot, "tls", "edge.pem"));
        }

        await using var again = await StartAsync();
        using var client = CreateClient(Path.Combine(_runRoot, "tls", "ca.pem"));
        using var response = await client.GetAsync(new Uri(again.Edge.Addresses.Single(a => a.Scheme == "https"), "/api/public/hello"));

        Assert.Equal(caBefore, await File.ReadAllTextAsync(Path.Combine(_runRoot, "tls", "ca.pem")));
        Assert.Equal(leafBefore, await File.ReadAllTextAsync(Path.Combine(_runRoot, "tls", "edge.pem")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_runRoot, recursive: true);
        return Task.CompletedTask;
    }

    private Task<DemoStack> StartAsync() =>
        DemoStack.StartAsync(
            new StackOptions
            {
                ConfigDirectory = RepositoryPaths.Examples,
                RunFolder = new RunFolder(_runRoot),
                EdgePort = 0,
                BalancerBind = "127.0.0.1:0",
                StatsBind = "127.0.0.1:0",
                IssuerListen = "127.0.0.1:0",
                FixedOriginPorts = false,
                TlsPort = 0,
            },
            NullLoggerFactory.Instance,
            CancellationToken.None);

    // Trusts only the development CA, and checks the host name, as curl --cacert does.
    private static HttpClient CreateClient(string caPath)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(caPath);
        handler.SslOptions.CertificateChainPolicy = policy;
        return new HttpClient(handler)
        {
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
