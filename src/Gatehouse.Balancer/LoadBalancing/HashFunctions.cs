using System.Text;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>The `hash-type` functions: sdbm (HAProxy's default) and djb2, over the bytes of a key.</summary>
internal enum HashFunction
{
    Sdbm,
    Djb2,
}

internal static class HashFunctions
{
    /// <summary>Hashes the Latin-1 bytes of a key, which are the bytes of the request as received.</summary>
    public static uint Hash(HashFunction function, string key)
    {
        var bytes = Encoding.Latin1.GetBytes(key);
        return function == HashFunction.Djb2 ? Djb2(bytes) : Sdbm(bytes);
    }

    public static uint Sdbm(ReadOnlySpan<byte> bytes)
    {
        uint hash = 0;
        foreach (var b in bytes)
        {
            hash = b + (hash << 6) + (hash << 16) - hash;
        }

        return hash;
    }

    public static uint Djb2(ReadOnlySpan<byte> bytes)
    {
        uint hash = 5381;
        foreach (var b in bytes)
        {
            hash = (hash << 5) + hash + b;
        }

        return hash;
    }
}
