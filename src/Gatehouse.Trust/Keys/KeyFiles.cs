using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// File layout of a key directory: <c>{kid}.pem</c> contains the PKCS#8 private key, <c>{kid}.json</c> its
/// metadata. Files are written under a temporary name and renamed, so a reader in another process never
/// sees half a file.
/// </summary>
internal static partial class KeyFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory with mode 0700 when missing; returns true when it was created.</summary>
    public static bool EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            RequireOwnerOnly(directory, isDirectory: true);
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        return true;
    }

    /// <summary>Rejects a directory or key file that group or others can access.</summary>
    public static void RequireOwnerOnly(string path, bool isDirectory)
    {
        // NOTE: on Windows the ACL is not checked; the directory inherits its parent's ACL.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) == 0)
        {
            return;
        }

        var octal = Convert.ToString((int)mode, 8);
        var (what, fix) = isDirectory ? ("Key directory", "chmod 700") : ("Key file", "chmod 600");
        throw new KeyRingException(
            $"{what} '{path}' is accessible by group or others (mode {octal}), but signing keys must be " +
            $"private to their owner. Fix: {fix} '{path}'.");
    }

    public static string NewKeyId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static bool IsValidKeyId(string keyId) => KeyIdPattern().IsMatch(keyId);

    public static string PemPath(string directory, string keyId) => Path.Combine(directory, keyId + ".pem");

    public static string MetadataPath(string directory, string keyId) => Path.Combine(directory, keyId + ".json");

    public static void WriteKey(string directory, ECDsa key, KeyMetadata metadata)
    {
        WriteAtomically(PemPath(directory, metadata.KeyId), key.ExportPkcs8PrivateKeyPem());
        WriteMetadata(directory, metadata);
    }

    public static void WriteMetadata(string directory, KeyMetadata metadata)
    {
        var json = JsonSerializer.Serialize(metadata, KeyMetadataJsonContext.Default.KeyMetadata);
        WriteAtomically(MetadataPath(directory, metadata.KeyId), json);
    }

    /// <summary>Reads one metadata file; returns null with a reason when it is not a usable key.</summary>
    public static KeyMetadata? ReadMetadata(string metadataPath, out string? problem)
    {
        var fileKeyId = Path.GetFileNameWithoutExtension(metadataPath);
        KeyMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(File.ReadAllText(metadataPath), KeyMetadataJsonContext.Default.KeyMetadata);
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message;
            return null;
        }

        if (metadata is null || metadata.KeyId != fileKeyId || !IsValidKeyId(fileKeyId))
        {
            problem = $"expected \"kid\": \"{fileKeyId}\" matching the file name";
            return null;
        }

        problem = null;
        return metadata;
    }

    public static ECDsa ReadPrivateKey(string pemPath)
    {
        RequireOwnerOnly(pemPath, isDirectory: false);
        return ImportPrivateKey(File.ReadAllText(pemPath), $"Key file '{pemPath}'", "remove the file and its .json metadata");
    }

    /// <summary>Imports a PEM-encoded P-256 private key; <paramref name="source"/> and <paramref name="removal"/> word the error.</summary>
    public static ECDsa ImportPrivateKey(string pem, string source, string removal)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new KeyRingException($"{source} is not a PEM-encoded ECDSA private key. Fix: {removal}, then run `gatehouse keys rotate`.", ex);
        }

        var keySize = key.KeySize;
        if (keySize != 256)
        {
            key.Dispose();
            throw new KeyRingException($"{source} contains a {keySize}-bit key, but ES256 requires a P-256 key. Fix: {removal}, then run `gatehouse keys rotate`.");
        }

        return key;
    }

    private static void WriteAtomically(string path, string contents)
    {
        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(contents);
        }

        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex KeyIdPattern();
}
