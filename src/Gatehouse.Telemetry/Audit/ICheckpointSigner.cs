using System.Security.Cryptography;

namespace Gatehouse.Telemetry.Audit;

/// <summary>
/// Signs the checkpoint that seals a decision file. Implementations sign with ES256 (ECDSA P-256 with
/// SHA-256) and return the signature in the IEEE P1363 form r‖s (64 bytes), as JWS does.
/// </summary>
public interface ICheckpointSigner
{
    /// <summary>Signs <paramref name="payload"/> and returns the signature with the id of the key that made it.</summary>
    CheckpointSignature Sign(ReadOnlySpan<byte> payload);
}

/// <summary>An ES256 signature and the key id (<c>kid</c>) a verifier resolves to the public key.</summary>
public sealed record CheckpointSignature(string KeyId, byte[] Signature);

/// <summary>Signs checkpoints with one fixed P-256 key.</summary>
public sealed class EcdsaCheckpointSigner(string keyId, ECDsa key) : ICheckpointSigner
{
    public CheckpointSignature Sign(ReadOnlySpan<byte> payload) =>
        new(keyId, key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
}
