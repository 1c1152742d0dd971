using Gatehouse.Balancer.Configuration;
using Gatehouse.Signals.Redis;

namespace Gatehouse.Balancer.Peers;

/// <summary>
/// A parsed `peers NAME` section. Its `peer` and `server` lines are validated and kept for `gatehouse check`
/// output, but Gatehouse nodes never connect to each other: the tables that name the section are shared
/// through the Redis of its `gatehouse-redis` line.
/// </summary>
public sealed class PeersSection
{
    private readonly Dictionary<string, string?> _peers = new(StringComparer.Ordinal);

    internal PeersSection(string name, ConfigLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    public ConfigLocation Location { get; }

    /// <summary>The `peer` and `server` lines by peer name, with the address as written (null for `server NAME` alone).</summary>
    public IReadOnlyDictionary<string, string?> Peers => _peers;

    /// <summary>True after a `disabled` line, which keeps every table of the section local.</summary>
    public bool Disabled { get; internal set; }

    /// <summary>The Redis named by `gatehouse-redis`, or null when the section has none and its tables stay local.</summary>
    public RedisOptions? Redis { get; internal set; }

    /// <summary>The line of `gatehouse-redis`, for messages.</summary>
    internal ConfigLocation? RedisLocation { get; set; }

    internal bool TryAddPeer(string name, string? address) => _peers.TryAdd(name, address);

    /// <summary>True when the section's tables are shared: it has `gatehouse-redis` and is not disabled.</summary>
    public bool Shares => Redis is not null && !Disabled;
}
