using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Loads HAProxy `crt` arguments: a PEM file holding the certificate, its chain and the private key (or the key in
/// FILE.key next to it, as HAProxy's default `ssl-load-extra-files` does), or a directory of such files.
/// </summary>
internal static class PemCertificateLoader
{
    /// <summary>Files above this size are rejected rather than read, because a PEM bundle is a few kilobytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Files read from one `crt` directory at most.</summary>
    public const int MaxDirectoryFiles = 1000;

    // HAProxy skips these beside the certificates of a directory: they are keys and OCSP/SCT side files.
    private static readonly string[] SideFileExtensions = [".key", ".ocsp", ".issuer", ".sctl"];

    /// <summary>Loads every certificate a `crt` argument names; adds to <paramref name="problems"/> on failure.</summary>
    public static List<SslStreamCertificateContext> Load(string path, List<string> problems)
    {
        if (Directory.Exists(path))
        {
            return LoadDirectory(path, problems);
        }

        var loaded = LoadFile(path, problems);
        return loaded is null ? [] : [loaded];
    }

    /// <summary>Loads one certificate with its key from a PEM file; returns null and adds to <paramref name="problems"/> on failure.</summary>
    public static X509Certificate2? LoadCertificateWithKey(string path, List<string> problems)
    {
        var chain = ReadChain(path, problems, out var pem);
        if (chain is null)
        {
            return null;
        }

        var keyPem = pem;
        if (!ContainsPrivateKey(pem))
        {
            var keyPath = path + ".key";
            if (!File.Exists(keyPath))
            {
                problems.Add($"'{path}' has no private key; put the key in the same PEM file or in '{keyPath}'");
                return null;
            }

            keyPem = ReadText(keyPath, problems);
            if (keyPem is null)
            {
                return null;
            }
        }

        try
        {
            var withKey = X509Certificate2.CreateFromPem(chain[0].ExportCertificatePem(), keyPem);
            if (!withKey.HasPrivateKey)
            {
                problems.Add($"the private key for '{path}' could not be read; expected an unencrypted PEM key");
                return null;
            }

            return withKey;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            problems.Add($"the private key for '{path}' does not match its certificate or is invalid ({exception.Message}); "
                + "put the key that belongs to the first certificate in the file");
            return null;
        }
    }

    private static SslStreamCertificateContext? LoadFile(string path, List<string> problems)
    {
        var certificate = LoadCertificateWithKey(path, problems);
        if (certificate is null)
        {
            return null;
        }

        var chain = ReadChain(path, problems, out _)!;
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        return SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
    }

    private static List<SslStreamCertificateContext> LoadDirectory(string path, List<string> problems)
    {
        var files = Directory.GetFiles(path)
            .Where(file => !SideFileExtensions.Any(extension => file.EndsWith(extension, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count > MaxDirectoryFiles)
        {
            problems.Add($"directory '{path}' holds {files.Count} certificate files; at most {MaxDirectoryFiles} are read, so split it");
            return [];
        }

        if (files.Count == 0)
        {
            problems.Add($"directory '{path}' holds no certificate file");
            return [];
        }

        var loaded = new List<SslStreamCertificateContext>();
        foreach (var file in files)
        {
            if (LoadFile(file, problems) is { } context)
            {
                loaded.Add(context);
            }
        }

        return loaded;
    }

    private static X509Certificate2Collection? ReadChain(string path, List<string> problems, out string pem)
    {
        pem = ReadText(path, problems) ?? "";
        if (pem.Length == 0)
        {
            return null;
        }

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            problems.Add($"'{path}' is not a valid PEM certificate file ({exception.Message})");
            return null;
        }

        if (chain.Count == 0)
        {
            problems.Add($"'{path}' holds no PEM certificate; expected '-----BEGIN CERTIFICATE-----' followed by the certificate and its key");
            return null;
        }

        return chain;
    }

    private static string? ReadText(string path, List<string> problems)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problems.Add($"file '{path}' not found");
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                problems.Add($"file '{path}' is {info.Length} bytes; a PEM file may hold at most {MaxFileBytes} bytes");
                return null;
            }

            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read '{path}': {exception.Message}");
            return null;
        }
    }

    private static bool ContainsPrivateKey(string pem) => pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);

    /// <summary>Loads the CA certificates of a `ca-file`; adds to <paramref name="problems"/> on failure.</summary>
    public static X509Certificate2Collection LoadAuthorities(string path, List<string> problems) =>
        ReadChain(path, problems, out _) ?? [];
}
