using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// RSA signing key (RS256) and AES encryption key of the dev issuer. OpenIddict uses the encryption key for
/// authorization codes and refresh tokens only, because access token encryption is disabled.
/// </summary>
internal sealed class DevIssuerKeys : IDisposable
{
    private const string SigningKeyFile = "dev-issuer-signing.pem";
    private const string EncryptionKeyFile = "dev-issuer-encryption.key";
    private const int RsaKeyBits = 2048;
    private const int EncryptionKeyBytes = 32;

    private readonly RSA _rsa;

    private DevIssuerKeys(RSA rsa, byte[] encryptionKey)
    {
        _rsa = rsa;
        SigningKey = new RsaSecurityKey(rsa);
        SigningKey.KeyId = Base64UrlEncoder.Encode(SigningKey.ComputeJwkThumbprint());
        EncryptionKey = new SymmetricSecurityKey(encryptionKey);
    }

    public RsaSecurityKey SigningKey { get; }

    public SymmetricSecurityKey EncryptionKey { get; }

    /// <summary>
    /// Loads the keys from <paramref name="directory"/>, creating any that are missing, or creates ephemeral keys
    /// when <paramref name="directory"/> is null.
    /// </summary>
    public static DevIssuerKeys LoadOrCreate(string? directory, ILogger logger)
    {
        if (directory is null)
        {
            var ephemeral = new DevIssuerKeys(RSA.Create(RsaKeyBits), RandomNumberGenerator.GetBytes(EncryptionKeyBytes));
            DevStackLog.SigningKeyEphemeral(logger, ephemeral.SigningKey.KeyId);
            return ephemeral;
        }

        CreatePrivateDirectory(directory);
        var signingPath = Path.Combine(directory, SigningKeyFile);
        var created = !File.Exists(signingPath);
        var rsa = RSA.Create(RsaKeyBits);
        if (created)
        {
            WritePrivateFile(signingPath, rsa.ExportPkcs8PrivateKeyPem());
        }
        else
        {
            rsa.ImportFromPem(File.ReadAllText(signingPath));
        }

        var keys = new DevIssuerKeys(rsa, LoadOrCreateEncryptionKey(Path.Combine(directory, EncryptionKeyFile)));
        if (created)
        {
            DevStackLog.SigningKeyCreated(logger, keys.SigningKey.KeyId, signingPath);
        }
        else
        {
            DevStackLog.SigningKeyLoaded(logger, keys.SigningKey.KeyId, signingPath);
        }

        return keys;
    }

    public void Dispose() => _rsa.Dispose();

    private static byte[] LoadOrCreateEncryptionKey(string path)
    {
        if (File.Exists(path))
        {
            var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (existing.Length != EncryptionKeyBytes)
            {
                throw new InvalidDataException(
                    $"Invalid dev issuer encryption key in {path}: expected {EncryptionKeyBytes} bytes in base64, found {existing.Length}. Delete the file to create a new key.");
            }

            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(EncryptionKeyBytes);
        WritePrivateFile(path, Convert.ToBase64String(key) + "\n");
        return key;
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file created with mode 0600 and renames it into place, so
    /// no reader sees a partial key and the key is never readable by other users.
    /// </summary>
    private static void WritePrivateFile(string path, string contents)
    {
        var temporary = path + ".tmp";

        // A leftover temporary file would keep its old mode, because the create mode applies to new files only.
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(contents);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
