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

    /// <summary>The `peers NAME` section whose nodes share this table, or null for a table kept on this node only.</summary>
    public string? Peers { get; init; }

    /// <summary>
    /// How the table is shared, resolved from <see cref="Peers"/> when the configuration is loaded; null when the
    /// table stays local, also when its peers section has no `gatehouse-redis` line.
    /// </summary>
    public Balancer.Peers.PeersSection? Sharing { get; init; }

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
