using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Cli.Stack;

/// <summary>
/// The development certificate authority and edge certificate of <c>gatehouse up --tls</c>, kept in the run folder's
/// tls/ folder: ca.pem and ca.key (ECDSA P-256), edge.pem and edge.key for 127.0.0.1, ::1 and localhost. Keys are
/// written with mode 0600. Files are reused while they stay valid for another day, and replaced otherwise.
/// </summary>
internal sealed class DevCertificates
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

    private DevCertificates(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.pem");

    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    public string CertificatePath => Path.Combine(Directory, "edge.pem");

    public string KeyPath => Path.Combine(Directory, "edge.key");

    /// <summary>Returns the certificates under <paramref name="runRoot"/>/tls, creating or renewing what is missing or expiring.</summary>
    public static DevCertificates Ensure(string runRoot, TimeProvider time)
    {
        var certificates = new DevCertificates(Path.Combine(runRoot, "tls"));
        if (!OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(certificates.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            System.IO.Directory.CreateDirectory(certificates.Directory);
        }

        var now = time.GetUtcNow();
        using var ca = certificates.LoadCa(now) ?? certificates.CreateCa(now);
        if (!certificates.LeafIsUsable(ca, now))
        {
            certificates.CreateLeaf(ca, now);
        }

        return certificates;
    }

    private X509Certificate2? LoadCa(DateTimeOffset now)
    {
        try
        {
            var ca = X509Certificate2.CreateFromPemFile(CaPath, CaKeyPath);
            if (ca.NotAfter.ToUniversalTime() > now + RenewBefore)
            {
                return ca;
            }

            ca.Dispose();
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or ArgumentException)
        {
            // Missing or damaged: a new CA replaces it, and the edge certificate is issued again below.
        }

        return null;
    }

    private X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Gatehouse Development CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
        WriteFile(CaPath, ca.ExportCertificatePem() + "\n", secret: false);
        WriteFile(CaKeyPath, key.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        return ca;
    }

    private bool LeafIsUsable(X509Certificate2 ca, DateTimeOffset now)
    {
        try
        {
            using var leaf = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            return leaf.NotAfter.ToUniversalTime() > now + RenewBefore && chain.Build(leaf);
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private void CreateLeaf(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var notAfter = now + LeafLifetime < ca.NotAfter.ToUniversalTime() ? now + LeafLifetime : ca.NotAfter.ToUniversalTime();
        using var leaf = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));

        // Key first: the edge watches edge.pem, so the pair is complete when the certificate changes.
        WriteFile(KeyPath, key.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteFile(CertificatePath, leaf.ExportCertificatePem() + "\n", secret: false);
    }

    private static void WriteFile(string path, string text, bool secret)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var stream = new StreamWriter(new FileStream(temporary, options)))
        {
            stream.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
