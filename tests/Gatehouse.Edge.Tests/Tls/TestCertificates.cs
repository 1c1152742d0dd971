using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Edge.Tests.Tls;

/// <summary>Test certificate authorities and leaf certificates made with System.Security.Cryptography, written as PEM.</summary>
internal static class TestCertificates
{
    /// <summary>Creates a self-signed ECDSA P-256 CA, valid from a minute ago for a day.</summary>
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Issues an intermediate CA under <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), RandomSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Issues a server and client certificate for <paramref name="names"/> (DNS names or IP addresses) under
    /// <paramref name="issuer"/>, valid from <paramref name="notBefore"/> (default a minute ago) to <paramref name="notAfter"/>.
    /// </summary>
    public static X509Certificate2 CreateLeaf(
        X509Certificate2 issuer, string subject, IEnumerable<string> names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddHours(6);
        using var issued = request.Create(issuer, from, to, RandomSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="leaf"/> followed by <paramref name="chain"/> to a PEM file and its key to another.</summary>
    public static void WritePem(X509Certificate2 leaf, string certificatePath, string keyPath, params X509Certificate2[] chain)
    {
        var certificates = string.Concat(new[] { leaf }.Concat(chain).Select(certificate => certificate.ExportCertificatePem() + "\n"));
        File.WriteAllText(certificatePath, certificates);
        File.WriteAllText(keyPath, leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Writes only the certificate, for CA files.</summary>
    public static void WriteCertificate(X509Certificate2 certificate, string path) =>
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");

    private static byte[] RandomSerial() => RandomNumberGenerator.GetBytes(16);
}
