using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Edge.Tls;

/// <summary>A certificate chain and private key read from PEM files, ready for TLS handshakes.</summary>
internal sealed class PemCertificate : IDisposable
{
    /// <summary>Largest PEM file read, in bytes; a chain of a few certificates is far smaller.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private PemCertificate(X509Certificate2 leaf, X509Certificate2Collection chain, SslStreamCertificateContext context)
    {
        Leaf = leaf;
        Chain = chain;
        Context = context;
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The intermediates that followed the leaf in the file, sent in every handshake.</summary>
    public X509Certificate2Collection Chain { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>
    /// Reads and checks a chain file and key file. Returns null with the reason in <paramref name="error"/> when a file
    /// is missing, too large or not PEM, the key does not match the leaf, or the leaf is expired or not yet valid.
    /// </summary>
    public static PemCertificate? TryLoad(string certificatePath, string keyPath, DateTimeOffset now, out string? error)
    {
        try
        {
            var certificateText = ReadPem(certificatePath);
            var keyText = ReadPem(keyPath);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certificateText);
            if (all.Count == 0)
            {
                error = $"\"{certificatePath}\" contains no PEM CERTIFICATE block";
                return null;
            }

            if (!PemEncoding.TryFind(keyText, out _))
            {
                error = $"\"{keyPath}\" contains no PEM private key block";
                return null;
            }

            var leaf = CreateWithKey(certificateText, keyText, certificatePath, keyPath, out error);
            if (leaf is null)
            {
                return null;
            }

            error = CheckValidity(leaf, certificatePath, now);
            if (error is not null)
            {
                leaf.Dispose();
                return null;
            }

            var chain = new X509Certificate2Collection();
            for (var i = 1; i < all.Count; i++)
            {
                chain.Add(all[i]);
            }

            all[0].Dispose();
            var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
            return new PemCertificate(leaf, chain, context);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error = Describe(exception, certificatePath, keyPath);
            return null;
        }
    }

    /// <summary>Releases the certificates; only for a certificate that no handshake can still use.</summary>
    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    // CreateFromPem reads the first certificate and checks that the key's public half matches it.
    private static X509Certificate2? CreateWithKey(string certificateText, string keyText, string certificatePath, string keyPath, out string? error)
    {
        try
        {
            error = null;
            return X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            error = $"private key \"{keyPath}\" does not match certificate \"{certificatePath}\" or is encrypted: {exception.Message}";
            return null;
        }
    }

    private static string ReadPem(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"\"{path}\" not found", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new IOException($"\"{path}\" is larger than {MaxFileBytes} bytes, which is not a PEM certificate or key");
        }

        return File.ReadAllText(path);
    }

    private static string? CheckValidity(X509Certificate2 leaf, string certificatePath, DateTimeOffset now)
    {
        if (now > leaf.NotAfter.ToUniversalTime())
        {
            return $"certificate \"{certificatePath}\" ({leaf.Subject}) expired at {leaf.NotAfter.ToUniversalTime():u}";
        }

        if (now < leaf.NotBefore.ToUniversalTime())
        {
            return $"certificate \"{certificatePath}\" ({leaf.Subject}) is not valid before {leaf.NotBefore.ToUniversalTime():u}";
        }

        return null;
    }

    private static string Describe(Exception exception, string certificatePath, string keyPath) => exception switch
    {
        IOException or UnauthorizedAccessException => exception.Message,
        _ => $"\"{certificatePath}\" and \"{keyPath}\" are not a usable PEM certificate and private key: {exception.Message}",
    };
}
