using System.Security.Cryptography;

namespace Gatehouse.Edge.Pipeline;

/// <summary>Creates request ids: 16 random bytes as 32 lowercase hex characters, unguessable and log-safe.</summary>
internal static class RequestIds
{
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
