using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Edge.Tests.Tls;

public sealed class CertificateReloadTests
{
    private const int CertificateLoaded = 2100;
    private const int CertificateRejected = 2101;

    [Fact]
    public async Task Reload_UnderLoad_FailsNoRequest()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(TlsListenerTests.OneCertificate);
        var certificatePath = Path.Combine(edge.Folder, "default.pem");
        var keyPath = Path.Combine(edge.Folder, "default.key");

        // Four clients send a bounded number of requests while the files are replaced twice. Each opens a new
        // connection every five requests, so handshakes happen during the swaps.
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var successes = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                // A fresh client per few requests forces new handshakes during the swaps.
                using var client = edge.CreateClient();
                for (var j = 0; j < 5; j++)
                {
                    try
                    {
                        using var response = await client.GetAsync(new Uri(edge.Https, "/load"));
                        Interlocked.Increment(ref response.IsSuccessStatusCode ? ref successes : ref failures);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        })).ToList();

        X509Certificate2? last = null;
        foreach (var generation in new[] { "second", "third" })
        {
            await Task.Delay(300);
            last = ReplaceAtomically(edge, generation, certificatePath, keyPath);
            await WaitUntilServedAsync(edge, last.Thumbprint);
        }

        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Equal(0, failures);
        Assert.True(successes > 0, "no request completed");
        Assert.Equal(last!.Thumbprint, await ServedThumbprintAsync(edge));
        Assert.Equal(3, edge.Logs.Count(CertificateLoaded));
    }

    [Theory]
    [InlineData("garbage", "contains no PEM CERTIFICATE block")]
    [InlineData("mismatch", "does not match certificate")]
    [InlineData("expired", "expired at")]
    public async Task Reload_BadFile_KeepsOldCertificateAndLogsOnce(string kind, string reason)
    {
        await using var edge = new TlsEdge();
        var original = edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(TlsListenerTests.OneCertificate);
        var certificatePath = Path.Combine(edge.Folder, "default.pem");
        var keyPath = Path.Combine(edge.Folder, "default.key");

        switch (kind)
        {
            case "garbage":
                File.WriteAllText(certificatePath, "not a certificate\n");
                break;
            case "mismatch":
                var other = TestCertificates.CreateLeaf(edge.Root, "other", ["127.0.0.1"]);
                TestCertificates.WriteCertificate(other, certificatePath);
                break;
            default:
                var expired = TestCertificates.CreateLeaf(
                    edge.Root, "expired", ["127.0.0.1"], DateTimeOffset.UtcNow.AddSeconds(-50), DateTimeOffset.UtcNow.AddSeconds(-10));
                TestCertificates.WritePem(expired, certificatePath, keyPath);
                break;
        }

        await PollAsync(() => Rejections(edge, reason).Count > 0, $"no warning with \"{reason}\" was logged");
        var reloading = GetCertificates(edge);
        var logged = edge.Logs.Count(CertificateRejected);
        reloading.Check();
        reloading.Check();

        Assert.Equal(original.Thumbprint, await ServedThumbprintAsync(edge));
        Assert.Equal(logged, edge.Logs.Count(CertificateRejected));
        var warning = Assert.Single(Rejections(edge, reason));
        Assert.Contains(certificatePath, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_WithoutWatcherEvent_PeriodicCheckSwaps()
    {
        await using var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(TlsListenerTests.OneCertificate, checkInterval: TimeSpan.FromMilliseconds(200));
        var reloading = GetCertificates(edge);

        var next = TestCertificates.CreateLeaf(edge.Root, "next", ["127.0.0.1"]);
        TestCertificates.WritePem(next, Path.Combine(edge.Folder, "default.pem"), Path.Combine(edge.Folder, "default.key"));

        await PollAsync(() => reloading.Current.Leaf.Thumbprint == next.Thumbprint, "the periodic check never loaded the new certificate");
        Assert.Equal(next.Thumbprint, await ServedThumbprintAsync(edge));
    }

    private static List<string> Rejections(TlsEdge edge, string reason) =>
        edge.Logs.Events
            .Where(entry => entry.Id.Id == CertificateRejected && entry.Message.Contains(reason, StringComparison.Ordinal))
            .Select(entry => entry.Message)
            .ToList();

    private static Gatehouse.Edge.Tls.ReloadingCertificate GetCertificates(TlsEdge edge) => edge.Edge.Certificates.Single();

    // Writes the new pair beside the old one and renames it over, the way deployment tools replace files.
    private static X509Certificate2 ReplaceAtomically(TlsEdge edge, string name, string certificatePath, string keyPath)
    {
        var leaf = TestCertificates.CreateLeaf(edge.Root, name, ["127.0.0.1"]);
        var temporaryCertificate = certificatePath + ".tmp";
        var temporaryKey = keyPath + ".tmp";
        TestCertificates.WritePem(leaf, temporaryCertificate, temporaryKey);
        File.Move(temporaryKey, keyPath, overwrite: true);
        File.Move(temporaryCertificate, certificatePath, overwrite: true);
        return leaf;
    }

    private static async Task WaitUntilServedAsync(TlsEdge edge, string thumbprint) =>
        await PollAsync(async () => await ServedThumbprintAsync(edge) == thumbprint, $"certificate {thumbprint} was never served");

    private static async Task<string> ServedThumbprintAsync(TlsEdge edge)
    {
        string? thumbprint = null;
        using var client = edge.CreateClient(onCertificate: (certificate, _) => thumbprint = certificate.Thumbprint);
        using var response = await client.GetAsync(new Uri(edge.Https, "/probe"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return thumbprint!;
    }

    private static Task PollAsync(Func<bool> condition, string message) => PollAsync(() => Task.FromResult(condition()), message);

    private static async Task PollAsync(Func<Task<bool>> condition, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(50);
        }
    }
}
