using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.StickTables;

/// <summary>The key type of a stick table, as in `stick-table type ...`.</summary>
public enum StickKeyType
{
    Ip,
    Ipv6,
    Integer,
    String,
    Binary,
}

/// <summary>One `store` entry: a data type and, for rates, its period in milliseconds (0 otherwise).</summary>
public readonly record struct StickStoredType(StickDataType Type, long PeriodMs);

/// <summary>A parsed `stick-table` line. <see cref="KeyLength"/> applies to string and binary keys only.</summary>
public sealed record StickTableDefinition(
    string Name, StickKeyType KeyType, int KeyLength, int Size, TimeSpan? Expire, bool NoPurge,
    IReadOnlyList<StickStoredType> Stored, ConfigLocation Location)
{
    /// <summary>The key length HAProxy uses for string and binary keys without `len`.</summary>
    public const int DefaultKeyLength = 32;

    /// <summary>The type name `show table` prints: ip, ipv6, integer, string or binary.</summary>
    public string KeyTypeName => KeyType switch
    {
        StickKeyType.Ip => "ip",
        StickKeyType.Ipv6 => "ipv6",
        StickKeyType.Integer => "integer",
        StickKeyType.String => "string",
        _ => "binary",
    };
}
