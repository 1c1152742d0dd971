using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Edge.Experiments;

/// <summary>
/// Assigns variants by hashing the experiment name with the client's stickiness key, so every edge node
/// assigns the same client the same variant without sharing state.
/// </summary>
internal static class VariantAssigner
{
    /// <summary>Name of the cookie that carries the visitor id.</summary>
    public const string VisitorCookie = "gh_visitor";

    /// <summary>Picks the variant for a key; the same experiment and key always give the same variant.</summary>
    public static Variant Assign(Experiment experiment, string key)
    {
        var point = Bucket(experiment.Name, key) % (ulong)experiment.TotalWeight;
        foreach (var variant in experiment.Variants)
        {
            if (point < (ulong)variant.Weight)
            {
                return variant;
            }

            point -= (ulong)variant.Weight;
        }

        // Unreachable while weights are positive: the point is below their sum.
        return experiment.Variants[^1];
    }

    /// <summary>Returns true when a cookie value has the visitor id format (32 lowercase hex characters).</summary>
    public static bool IsVisitorId(string? value)
    {
        if (value is null || value.Length != 32)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // SHA-256 is stable across processes and platforms, unlike string.GetHashCode, and its first
    // 8 bytes are uniform enough for weights that sum to far less than 2^64.
    private static ulong Bucket(string experiment, string key)
    {
        var input = Encoding.UTF8.GetBytes(experiment + "\n" + key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
