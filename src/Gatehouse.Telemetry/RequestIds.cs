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

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
