using System.Security.Cryptography;
using StackExchange.Redis;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// Rotation lock in Redis: <c>SET key token NX PX timeout</c> takes it, and a script deletes the key only
/// while it still contains this holder's token, so a holder whose lock expired never frees a newer holder's.
/// </summary>
internal sealed class RedisRotationLock : IDisposable
{
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly IDatabase _database;
    private readonly RedisKey _key;
    private readonly string _token;

    private RedisRotationLock(IDatabase database, RedisKey key, string token)
    {
        _database = database;
        _key = key;
        _token = token;
    }

    /// <summary>Takes the lock; returns null when another holder has it.</summary>
    public static RedisRotationLock? TryAcquire(IDatabase database, RedisKey key, TimeSpan timeout)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return database.StringSet(key, token, timeout, When.NotExists) ? new RedisRotationLock(database, key, token) : null;
    }

    public void Dispose()
    {
        try
        {
            _database.ScriptEvaluate(ReleaseScript, [_key], [_token]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The lock expires by itself after its timeout; nothing else depends on the release.
        }
    }
}
