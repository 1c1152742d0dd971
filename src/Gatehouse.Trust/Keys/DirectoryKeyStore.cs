using System.Security.Cryptography;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// Key store in a directory of <c>{kid}.pem</c> and <c>{kid}.json</c> files (see <see cref="KeyFiles"/>),
/// mode 0700 for the directory and 0600 for the files. Rotation is serialized by an exclusive lock on a
/// lock file in the directory.
/// </summary>
internal sealed class DirectoryKeyStore : IKeyStore
{
    /// <summary>Name of the lock file created in the key directory; it never contains data.</summary>
    public const string LockFileName = ".rotation.lock";

    public DirectoryKeyStore(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string Location => Directory;

    public string LockName => Path.Combine(Directory, LockFileName);

    public bool EnsureCreated() => KeyFiles.EnsureDirectory(Directory);

    public List<KeyMetadata> ReadMetadata(Action<string, string> skipped)
    {
        KeyFiles.RequireOwnerOnly(Directory, isDirectory: true);
        var keys = new List<KeyMetadata>();
        foreach (var metadataPath in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            var metadata = KeyFiles.ReadMetadata(metadataPath, out var problem);
            var pemPath = metadata is null ? null : KeyFiles.PemPath(Directory, metadata.KeyId);
            if (metadata is null || !File.Exists(pemPath))
            {
                skipped(metadataPath, problem ?? "its private key file is missing");
                continue;
            }

            KeyFiles.RequireOwnerOnly(pemPath, isDirectory: false);
            keys.Add(metadata);
        }

        return keys;
    }

    public ECDsa ReadPrivateKey(string keyId) => KeyFiles.ReadPrivateKey(KeyFiles.PemPath(Directory, keyId));

    public void WriteKey(ECDsa key, KeyMetadata metadata) => KeyFiles.WriteKey(Directory, key, metadata);

    public void WriteMetadata(KeyMetadata metadata) => KeyFiles.WriteMetadata(Directory, metadata);

    public IDisposable? TryAcquireRotationLock()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = KeyFiles.FileMode;
        }

        try
        {
            return new FileStream(LockName, options);
        }
        catch (IOException ex) when (IsLockConflict(ex))
        {
            return null;
        }
    }

    // Windows reports ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33) inside an HRESULT. .NET on Unix
    // takes the lock with flock and, when it is held, sets HResult to the raw errno EWOULDBLOCK: 11 on Linux,
    // 35 on macOS and FreeBSD.
    private static bool IsLockConflict(IOException exception)
    {
        if (OperatingSystem.IsWindows())
        {
            return (exception.HResult & 0xFFFF) is 32 or 33;
        }

        return exception.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }
}
