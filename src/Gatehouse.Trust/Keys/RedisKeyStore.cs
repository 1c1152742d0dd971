using System.Security.Cryptography;
using System.Text.Json;
using StackExchange.Redis;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// Key store in Redis, for key rings shared by edge nodes on several machines: metadata as JSON in the hash
/// <c>{KeyPrefix}metadata</c> (field = kid), private keys as PKCS#8 PEM under <c>{PrivateKeyPrefix}{kid}</c>.
/// </summary>
/// <remarks>
/// Redis errors become <see cref="KeyRingException"/>, so a ring keeps its loaded keys when Redis is
/// unreachable. The connection's password or ACL user comes from the caller's client configuration and never
/// appears in <see cref="Location"/> or in any message.
/// </remarks>
internal sealed class RedisKeyStore : IKeyStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeyStoreOptions _options;
    private readonly RedisKey _metadataKey;

    public RedisKeyStore(IConnectionMultiplexer redis, RedisKeyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.KeyPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LockTimeout, TimeSpan.FromSeconds(1), nameof(options.LockTimeout));
        _redis = redis;
        _options = options;
        _metadataKey = options.KeyPrefix + "metadata";
        var endpoints = string.Join(",", redis.GetEndPoints().Select(endpoint => endpoint.ToString()));
        Location = $"redis://{endpoints}/{options.KeyPrefix}";
    }

    public string Location { get; }

    public string LockName => _options.KeyPrefix + "rotation-lock";

    private IDatabase Database => _redis.GetDatabase(_options.Database);

    public bool EnsureCreated() => false;

    public List<KeyMetadata> ReadMetadata(Action<string, string> skipped) => Run("read key metadata from", () =>
    {
        var entries = Database.HashGetAll(_metadataKey);
        var candidates = new List<KeyMetadata>();
        foreach (var entry in entries)
        {
            var source = $"{Location} field {entry.Name}";
            if (Parse(entry, out var problem) is { } metadata)
            {
                candidates.Add(metadata);
            }
            else
            {
                skipped(source, problem);
            }
        }

        var batch = Database.CreateBatch();
        var exists = candidates.Select(metadata => batch.KeyExistsAsync(PrivateKey(metadata.KeyId))).ToList();
        batch.Execute();
        var keys = new List<KeyMetadata>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (exists[i].GetAwaiter().GetResult())
            {
                keys.Add(candidates[i]);
            }
            else
            {
                skipped($"{Location} field {candidates[i].KeyId}", "its private key is missing");
            }
        }

        return keys;
    });

    public ECDsa ReadPrivateKey(string keyId)
    {
        var pem = Run("read a private key from", () => (string?)Database.StringGet(PrivateKey(keyId)))
            ?? throw new KeyRingException($"Private key '{keyId}' is missing from {Location}. Fix: run `gatehouse keys rotate`.");
        return KeyFiles.ImportPrivateKey(pem, $"Private key '{keyId}' in {Location}", "delete it and its metadata field");
    }

    public void WriteKey(ECDsa key, KeyMetadata metadata) => Run("write a key to", () =>
    {
        var transaction = Database.CreateTransaction();
        _ = transaction.StringSetAsync(PrivateKey(metadata.KeyId), key.ExportPkcs8PrivateKeyPem());
        _ = transaction.HashSetAsync(_metadataKey, metadata.KeyId, Serialize(metadata));
        return transaction.Execute() ? true : throw new KeyRingException($"Writing key '{metadata.KeyId}' to {Location} was not applied.");
    });

    public void WriteMetadata(KeyMetadata metadata) =>
        Run("write key metadata to", () => Database.HashSet(_metadataKey, metadata.KeyId, Serialize(metadata)));

    public IDisposable? TryAcquireRotationLock() =>
        Run("take the rotation lock in", () => RedisRotationLock.TryAcquire(Database, LockName, _options.LockTimeout));

    private RedisKey PrivateKey(string keyId) => _options.PrivatePrefix + keyId;

    private static string Serialize(KeyMetadata metadata) =>
        JsonSerializer.Serialize(metadata, KeyMetadataJsonContext.Default.KeyMetadata);

    private static KeyMetadata? Parse(HashEntry entry, out string problem)
    {
        var fieldKeyId = (string?)entry.Name ?? "";
        KeyMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize((string?)entry.Value ?? "", KeyMetadataJsonContext.Default.KeyMetadata);
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message;
            return null;
        }

        if (metadata is null || metadata.KeyId != fieldKeyId || !KeyFiles.IsValidKeyId(fieldKeyId))
        {
            problem = $"expected \"kid\": \"{fieldKeyId}\" matching the field name";
            return null;
        }

        problem = "";
        return metadata;
    }

    private T Run<T>(string action, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new KeyRingException(
                $"Failed to {action} {Location}: {ex.GetType().Name}. Check that Redis is reachable and that the " +
                "configured user may read and write the ring's key prefixes.", ex);
        }
    }
}
