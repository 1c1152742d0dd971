namespace Gatehouse.Trust.Keys;

/// <summary>Where a key ring kept in Redis stores its keys and how long a rotation lock lasts.</summary>
public sealed class RedisKeyStoreOptions
{
    /// <summary>
    /// Prefix of the ring's public keys: the metadata hash <c>{KeyPrefix}metadata</c> and the rotation lock
    /// <c>{KeyPrefix}rotation-lock</c>. Default <c>gatehouse:keys:</c>.
    /// </summary>
    public string KeyPrefix { get; init; } = "gatehouse:keys:";

    /// <summary>
    /// Prefix of the private keys, one string key <c>{PrivateKeyPrefix}{kid}</c> each, so a Redis ACL can grant
    /// them to signing nodes only. Default <c>{KeyPrefix}private:</c>.
    /// </summary>
    public string? PrivateKeyPrefix { get; init; }

    /// <summary>Database number; -1 (the default) uses the connection's default database.</summary>
    public int Database { get; init; } = -1;

    /// <summary>
    /// Time after which a rotation lock whose holder died is free again. It must exceed one rotation check.
    /// Default 30 s.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal string PrivatePrefix => PrivateKeyPrefix ?? KeyPrefix + "private:";
}
