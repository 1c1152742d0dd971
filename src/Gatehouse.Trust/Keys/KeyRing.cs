using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// ECDSA P-256 keys that sign edge assertions, kept outside the process so that the <c>gatehouse keys</c>
/// command and several edge processes share them: in a key directory (<see cref="OpenDirectory(string, ILogger?)"/>)
/// or, for edge nodes on several machines, in Redis (<see cref="OpenRedis"/>).
/// </summary>
/// <remarks>
/// <para>Rotation overlap: <see cref="Rotate"/> publishes the new key in <see cref="PublicJwksJson"/> at once,
/// but it signs only after its activation delay. Earlier keys stay published until retired, so assertions
/// signed just before a rotation keep verifying until they expire.</para>
/// <para>Reload: the ring re-reads its store when its state is older than <see cref="ReloadInterval"/>
/// or a pending key's activation time has passed, on the next access. Polling was chosen over
/// <see cref="FileSystemWatcher"/>, which misses events on network and container mounts. A failed
/// automatic reload is logged and the keys loaded before stay in use.</para>
/// </remarks>
public sealed class KeyRing
{
    /// <summary>Maximum age of the cached directory state before the next access re-reads it.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _reloadLock = new();
    private readonly Dictionary<string, LoadedKey> _loadedKeys = new(StringComparer.Ordinal);
    private volatile KeyRingState _state = null!;

    private readonly IKeyStore _store;

    private KeyRing(IKeyStore store, ILogger logger, TimeProvider timeProvider)
    {
        _store = store;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Absolute path of the key directory. For a ring in Redis, the same text as <see cref="Location"/>, which
    /// is not a path.
    /// </summary>
    public string Directory => _store.Location;

    /// <summary>Where the keys are: the key directory's path, or <c>redis://{endpoints}/{prefix}</c>. Never contains a secret.</summary>
    public string Location => _store.Location;

    internal IKeyStore Store => _store;

    /// <summary>Key id (<c>kid</c>) of the key that signs new assertions.</summary>
    public string CurrentKeyId => GetState().Current.Metadata.KeyId;

    /// <summary>ES256 credentials of the current key, with <c>kid</c> set; the same instance until it changes.</summary>
    public SigningCredentials CurrentSigningCredentials => GetState().Current.Credentials;

    /// <summary>
    /// Opens a key directory, creating it with mode 0700 and a first key when missing.
    /// </summary>
    /// <exception cref="KeyRingException">The directory or a key file is accessible by group or others, or
    /// a key file is unreadable.</exception>
    public static KeyRing OpenDirectory(string directory, ILogger? logger = null) =>
        OpenDirectory(directory, logger, TimeProvider.System);

    /// <inheritdoc cref="OpenDirectory(string, ILogger?)"/>
    public static KeyRing OpenDirectory(string directory, ILogger? logger, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var fullPath = Path.GetFullPath(directory);
        var ring = new KeyRing(new DirectoryKeyStore(fullPath), logger ?? NullLogger.Instance, timeProvider);
        if (ring._store.EnsureCreated())
        {
            TrustLog.KeyDirectoryCreated(ring._logger, fullPath);
        }

        ring.LoadOrCreateFirstKey();
        return ring;
    }

    /// <summary>
    /// Opens a key ring kept in Redis, creating a first key when it has none. Every node that opens the same
    /// prefixes shares the ring. <paramref name="redis"/> carries the password or ACL user; the caller owns it.
    /// </summary>
    /// <exception cref="KeyRingException">Redis is unreachable or refuses the configured user, or a stored key
    /// is unreadable.</exception>
    public static KeyRing OpenRedis(
        IConnectionMultiplexer redis, RedisKeyStoreOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        var ring = new KeyRing(new RedisKeyStore(redis, options), logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
        ring.LoadOrCreateFirstKey();
        return ring;
    }

    /// <summary>Returns the JWKS document of every non-retired key, pending ones included; public parts only.</summary>
    public string PublicJwksJson() => GetState().PublicJwksJson;

    /// <summary>
    /// Adds a new key, published at once and signing once <paramref name="activationDelay"/> has passed.
    /// A delay of zero (the default) makes it sign at once; verifiers then fetch it on its first unknown kid.
    /// </summary>
    public KeyInfo Rotate(TimeSpan activationDelay = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(activationDelay, TimeSpan.Zero);
        lock (_reloadLock)
        {
            var metadata = CreateKey(activationDelay);
            ReloadLocked();
            return ToInfo(metadata, _state);
        }
    }

    /// <summary>Lists every key in the store, retired ones included, oldest first.</summary>
    public IReadOnlyList<KeyInfo> List()
    {
        var state = GetState();
        return state.Keys
            .OrderBy(k => k.Metadata.CreatedAt)
            .ThenBy(k => k.Metadata.KeyId, StringComparer.Ordinal)
            .Select(k => ToInfo(k.Metadata, state))
            .ToList();
    }

    /// <summary>
    /// Marks a key retired: it leaves the JWKS and stops signing. Retiring a retired key does nothing.
    /// </summary>
    /// <exception cref="KeyRingException">The key does not exist, or it is the only active key.</exception>
    public void Retire(string keyId)
    {
        lock (_reloadLock)
        {
            ReloadLocked();
            var now = _timeProvider.GetUtcNow();
            var target = _state.Keys.FirstOrDefault(k => k.Metadata.KeyId == keyId)?.Metadata
                ?? throw new KeyRingException(
                    $"Key '{keyId}' was not found in '{Location}'. Run `gatehouse keys list` to see the key ids.");
            if (target.RetiredAt is not null)
            {
                return;
            }

            var activeCount = _state.Keys.Count(k => k.Metadata.IsActive(now));
            if (target.IsActive(now) && activeCount == 1)
            {
                throw new KeyRingException(
                    $"Key '{keyId}' cannot be retired: it is the only active signing key in '{Location}'. " +
                    "Run `gatehouse keys rotate` first, and retire this key once the new one is active.");
            }

            _store.WriteMetadata(target with { RetiredAt = now });
            ReloadLocked();
            TrustLog.KeyRetired(_logger, keyId, Location);
        }
    }

    /// <summary>Re-reads the key store now, for example after another process changed it.</summary>
    /// <exception cref="KeyRingException">The store is unusable; the previous keys stay in use.</exception>
    public void Reload()
    {
        lock (_reloadLock)
        {
            ReloadLocked();
        }
    }

    private KeyRingState GetState()
    {
        var state = _state;
        if (_timeProvider.GetUtcNow() < state.ValidUntil || !_reloadLock.TryEnter())
        {
            // Another thread is reloading; the state it replaces is still a consistent view.
            return state;
        }

        try
        {
            TryReloadLocked();
        }
        finally
        {
            _reloadLock.Exit();
        }

        return _state;
    }

    private void TryReloadLocked()
    {
        try
        {
            ReloadLocked();
        }
        catch (Exception ex) when (ex is KeyRingException or IOException or UnauthorizedAccessException)
        {
            TrustLog.KeyReloadFailed(_logger, ex, Location);
            var now = _timeProvider.GetUtcNow();
            _state = KeyRingState.Create(_state.Keys, now, ReloadInterval) ?? _state;
        }
    }

    private void LoadOrCreateFirstKey()
    {
        lock (_reloadLock)
        {
            var keys = ReadKeys();
            if (KeyRingState.Create(keys, _timeProvider.GetUtcNow(), ReloadInterval) is null)
            {
                CreateKey(TimeSpan.Zero);
            }

            ReloadLocked();
        }
    }

    private void ReloadLocked()
    {
        var keys = ReadKeys();
        var state = KeyRingState.Create(keys, _timeProvider.GetUtcNow(), ReloadInterval)
            ?? throw new KeyRingException(
                $"Key store '{Location}' has no usable signing key because every key is retired. " +
                "Fix: run `gatehouse keys rotate`.");
        var previous = _state;
        _state = state;
        if (previous is not null && previous.Current.Metadata.KeyId != state.Current.Metadata.KeyId)
        {
            TrustLog.CurrentKeyChanged(_logger, previous.Current.Metadata.KeyId, state.Current.Metadata.KeyId);
        }
    }

    private List<LoadedKey> ReadKeys()
    {
        var keys = new List<LoadedKey>();
        foreach (var metadata in _store.ReadMetadata((source, problem) => TrustLog.KeyFileSkipped(_logger, source, problem)))
        {
            if (!_loadedKeys.TryGetValue(metadata.KeyId, out var loaded))
            {
                loaded = KeyRingState.Load(_store.ReadPrivateKey(metadata.KeyId), metadata);
                _loadedKeys[metadata.KeyId] = loaded;
            }

            keys.Add(loaded with { Metadata = metadata });
        }

        return keys;
    }

    private KeyMetadata CreateKey(TimeSpan activationDelay)
    {
        var now = _timeProvider.GetUtcNow();
        var metadata = new KeyMetadata(KeyFiles.NewKeyId(now), now, now + activationDelay, RetiredAt: null);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _store.WriteKey(key, metadata);
        _loadedKeys[metadata.KeyId] = KeyRingState.Load(key, metadata);
        TrustLog.KeyCreated(_logger, metadata.KeyId, Location, metadata.ActivatesAt);
        return metadata;
    }

    private KeyInfo ToInfo(KeyMetadata metadata, KeyRingState state) =>
        new(metadata.KeyId, metadata.CreatedAt, metadata.ActivatesAt, metadata.RetiredAt,
            state.StatusOf(metadata, _timeProvider.GetUtcNow()));
}
