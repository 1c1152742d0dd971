using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Telemetry.Audit;
using Gatehouse.Trust.Keys;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// Resolves checkpoint key ids for <c>gatehouse audit verify</c>: first from JWKS files, then from the key
/// directory's <c>{kid}.pem</c> files, retired keys included, because old files stay signed by them.
/// </summary>
internal sealed partial class AuditKeyResolver(string keyDirectory, CheckpointKeySet jwksKeys) : ICheckpointKeyResolver
{
    /// <summary>Returns a resolver, or null with <paramref name="error"/> set when a JWKS file is unusable.</summary>
    public static AuditKeyResolver? Create(string keyDirectory, IEnumerable<string> jwksFiles, out string? error)
    {
        var keys = new CheckpointKeySet();
        foreach (var file in jwksFiles)
        {
            try
            {
                keys.AddJwks(File.ReadAllText(file));
            }
            catch (Exception exception) when (exception is IOException or JsonException or FormatException or CryptographicException)
            {
                error = $"cannot read JWKS file {file}: {exception.Message}";
                return null;
            }
        }

        error = null;
        return new AuditKeyResolver(Path.GetFullPath(keyDirectory), keys);
    }

    public ECDsa? FindKey(string keyId)
    {
        if (jwksKeys.FindKey(keyId) is { } key)
        {
            return key;
        }

        // The kid comes from the file under audit, so it must not be able to name a path outside the directory.
        var pem = Path.Combine(keyDirectory, keyId + ".pem");
        if (!SafeKeyId().IsMatch(keyId) || !File.Exists(pem))
        {
            return null;
        }

        try
        {
            using var privateKey = ECDsa.Create();
            privateKey.ImportFromPem(File.ReadAllText(pem));
            return ECDsa.Create(privateKey.ExportParameters(includePrivateParameters: false));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeKeyId();
}

/// <summary>
/// Signs decision-file checkpoints with the key ring's current key. Pass it to
/// <c>new DecisionLog(path, logger, new KeyRingCheckpointSigner(keyRing))</c>.
/// </summary>
internal sealed class KeyRingCheckpointSigner(KeyRing ring) : ICheckpointSigner
{
    public CheckpointSignature Sign(ReadOnlySpan<byte> payload)
    {
        // One read of the credentials, so the key id and the key that signs cannot come from two rotations.
        var key = (ECDsaSecurityKey)ring.CurrentSigningCredentials.Key;
        var signature = key.ECDsa.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new CheckpointSignature(key.KeyId, signature);
    }
}
