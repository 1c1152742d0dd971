using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>
/// A test CA with server, client, expired and wrong-host certificates, generated once per fixture and written as
/// HAProxy `crt` files (certificate, then its PKCS#8 key) into a temporary directory that Dispose deletes.
/// </summary>
internal sealed class CompatCertificates : IDisposable
{
    private readonly X509Certificate2 _authority;

    public CompatCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gatehouse-compat-tls-").FullName;
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Compat Test CA", authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));

        Server = Issue("CN=localhost", "localhost", serverAuth: true);
        Client = Issue("E=ops@compat.test, CN=compat client, OU=Unit, O=Compat Test, L=City, S=State, C=US", null, serverAuth: false);
        Expired = Issue("CN=localhost", "localhost", serverAuth: true, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        WrongHost = Issue("CN=wrong.example", "wrong.example", serverAuth: true);
        Variables = new Dictionary<string, string>
        {
            ["CA"] = Write("ca.pem", _authority.ExportCertificatePem() + "\n"),
            ["CRT"] = Write("server.pem", Pem(Server)),
            ["CLIENT_CRT"] = Write("client.pem", Pem(Client)),
        };
    }

    public string Directory { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 WrongHost { get; }

    /// <summary>CA, CRT and CLIENT_CRT: absolute paths for `ca-file` and `crt` arguments.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Returns true when the certificate chains to the test CA.</summary>
    public bool IsTrusted(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Pem(X509Certificate2 certificate) =>
        certificate.ExportCertificatePem() + "\n" + certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private X509Certificate2 Issue(string subject, string? dnsName, bool serverAuth, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        if (dnsName is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            if (dnsName == "localhost")
            {
                names.AddIpAddress(IPAddress.Loopback);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(_authority, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(20), serial);
        return signed.CopyWithPrivateKey(key);
    }
}
