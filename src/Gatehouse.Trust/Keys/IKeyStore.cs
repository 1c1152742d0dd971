using System.Security.Cryptography;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// Where a <see cref="KeyRing"/> keeps its keys: private keys and their metadata, shared by every process
/// that opens the same store. Implementations throw <see cref="KeyRingException"/> when the store is unusable.
/// </summary>
internal interface IKeyStore
{
    /// <summary>Where the keys are, for messages and logs; never contains a secret.</summary>
    string Location { get; }

    /// <summary>Name of the rotation lock: a lock file path or a Redis key.</summary>
    string LockName { get; }

    /// <summary>Prepares the store for use; returns true when it did not exist and was created.</summary>
    bool EnsureCreated();

    /// <summary>
    /// Reads the metadata of every key whose private key is present. Unusable entries are reported to
    /// <paramref name="skipped"/> with their source and the reason, and left out.
    /// </summary>
    List<KeyMetadata> ReadMetadata(Action<string, string> skipped);

    /// <summary>Reads the private key of <paramref name="keyId"/>; it must be an ECDSA P-256 key.</summary>
    ECDsa ReadPrivateKey(string keyId);

    /// <summary>Stores a new key: the private key first, then its metadata, so readers never see one without the other.</summary>
    void WriteKey(ECDsa key, KeyMetadata metadata);

    /// <summary>Replaces the metadata of an existing key.</summary>
    void WriteMetadata(KeyMetadata metadata);

    /// <summary>
    /// Takes the lock that serializes rotation across processes and nodes; returns null when someone else
    /// holds it. Disposing the result releases the lock.
    /// </summary>
    IDisposable? TryAcquireRotationLock();
}
