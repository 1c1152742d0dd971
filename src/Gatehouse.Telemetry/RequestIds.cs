using System.Security.Cryptography;

namespace Gatehouse.Telemetry;

/// <summary>
/// Request ids, the key that joins both tiers' decision records: 16 random bytes as 32 lowercase hex
/// characters, unguessable and safe to log.
/// </summary>
public static class RequestIds
{
    /// <summary>Header that carries the request id between tiers, to the origin and back to the client.</summary>
    public const string HeaderName = "X-Request-Id";

    // Random bytes come from the system generator 4 KiB at a time per thread. One generator call per request
    // is one OpenSSL call, and a balancer profile showed 3.6 % of its CPU in libcrypto. Used bytes are cleared.
    private const int PoolBytes = 4096;

    private const int IdBytes = 16;

    [ThreadStatic]
    private static byte[]? t_pool;

    [ThreadStatic]
    private static int t_next;

    public static string Create()
    {
        var pool = t_pool;
        if (pool is null || t_next > PoolBytes - IdBytes)
        {
            pool = t_pool ??= new byte[PoolBytes];
            RandomNumberGenerator.Fill(pool);
            t_next = 0;
        }

        var bytes = pool.AsSpan(t_next, IdBytes);
        t_next += IdBytes;
        var id = Convert.ToHexStringLower(bytes);
        bytes.Clear();
        return id;
    }
}
