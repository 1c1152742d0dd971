using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Balancer.Tests.Tls;

/// <summary>
/// A test CA and certificates it signs, generated per instance and written as HAProxy-style PEM files (certificate
/// followed by its key) into a temporary directory that Dispose deletes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gatehouse-tls-").FullName;
        Authority = CreateAuthority("Gatehouse Test CA");
        Server = Issue("CN=localhost", ["localhost"], [IPAddress.Loopback], ServerAuthentication);
        Other = Issue("CN=other.test", ["other.test"], [], ServerAuthentication);
        Client = Issue("CN=client, O=Gatehouse Test", [], [], ClientAuthentication);
        Expired = Issue("CN=localhost", ["localhost"], [IPAddress.Loopback], ServerAuthentication, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        WrongHost = Issue("CN=wrong.example", ["wrong.example"], [], ServerAuthentication);
        OtherAuthority = CreateAuthority("Unrelated CA");
        Stranger = Issue("CN=stranger", [], [], ClientAuthentication, issuer: OtherAuthority);

        AuthorityFile = Write("ca.pem", Authority.ExportCertificatePem());
        ServerFile = WriteWithKey("server.pem", Server);
        ClientFile = WriteWithKey("client.pem", Client);
        ExpiredFile = WriteWithKey("expired.pem", Expired);
        WrongHostFile = WriteWithKey("wrong-host.pem", WrongHost);
        StrangerFile = WriteWithKey("stranger.pem", Stranger);
        SniDirectory = Path.Combine(Directory, "sni");
        System.IO.Directory.CreateDirectory(SniDirectory);
        File.WriteAllText(Path.Combine(SniDirectory, "1-localhost.pem"), Pem(Server));
        File.WriteAllText(Path.Combine(SniDirectory, "2-other.pem"), Pem(Other));
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 OtherAuthority { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Other { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 WrongHost { get; }

    /// <summary>A client certificate signed by a CA that no test trusts.</summary>
    public X509Certificate2 Stranger { get; }

    public string AuthorityFile { get; }

    public string ServerFile { get; }

    public string ClientFile { get; }

    public string ExpiredFile { get; }

    public string WrongHostFile { get; }

    public string StrangerFile { get; }

    /// <summary>A `crt` directory with the localhost certificate (first, the default) and the other.test one.</summary>
    public string SniDirectory { get; }

    public static string Pem(X509Certificate2 certificate) =>
        certificate.ExportCertificatePem() + "\n" + certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>Writes a file into the temporary directory and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Returns true when <paramref name="certificate"/> chains to the test CA, for client-side validation callbacks.</summary>
    public bool IsIssuedByAuthority(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private string WriteWithKey(string name, X509Certificate2 certificate) => Write(name, Pem(certificate));

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
    }

    private X509Certificate2 Issue(
        string subject, string[] dnsNames, IPAddress[] addresses, Oid usage,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, X509Certificate2? issuer = null)
    {
        issuer ??= Authority;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (dnsNames.Length + addresses.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames)
            {
                names.AddDnsName(dns);
            }

            foreach (var address in addresses)
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(
            issuer, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(20), serial);
        return signed.CopyWithPrivateKey(key);
    }
}
