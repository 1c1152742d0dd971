namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The stick tables of one configuration by name (the name of the backend or listen section that declares
/// each). A timer purges expired entries once a second while the registry is started, and the tables that name a
/// `peers` section with `gatehouse-redis` are exchanged with the other nodes through Redis.
/// </summary>
public sealed class StickTableRegistry : IAsyncDisposable
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, StickTable> _tables;
    private readonly TimeProvider _time;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly List<Peers.PeerSync> _syncs = [];
    private readonly Dictionary<string, Peers.PeersSection> _sharing = new(StringComparer.Ordinal);
    private ITimer? _purgeTimer;

    internal StickTableRegistry(
        IEnumerable<StickTableDefinition> definitions, TimeProvider time, StickTableRegistry? previous = null,
        Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _time = time;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // A reload keeps the node id, so the other nodes do not count this node's published values twice.
        NodeId = previous?.NodeId ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        foreach (var definition in definitions)
        {
            if (definition.Sharing is { } section)
            {
                // A table kept by a reload still carries the old definition, so the new section is looked up here.
                _sharing[definition.Name] = section;
            }
        }

        _tables = definitions.ToDictionary(
            definition => definition.Name, definition => Reuse(previous, definition) ?? new StickTable(definition, time), StringComparer.Ordinal);
    }

    /// <summary>The random id under which this node publishes its part of shared tables.</summary>
    internal string NodeId { get; }

    /// <summary>The exchanges with Redis, one per `peers` section in use; empty until <see cref="Start"/>.</summary>
    internal IReadOnlyList<Peers.PeerSync> Syncs => _syncs;

    /// <summary>Every table, in declaration order.</summary>
    public IReadOnlyCollection<StickTable> Tables => _tables.Values;

    /// <summary>Returns the table declared in section <paramref name="name"/>, or null when there is none.</summary>
    public StickTable? Find(string name) => _tables.GetValueOrDefault(name);

    /// <summary>Starts the purge timer and the exchanges with Redis; calling it again does nothing.</summary>
    internal void Start()
    {
        if (_purgeTimer is not null)
        {
            return;
        }

        _purgeTimer = _time.CreateTimer(_ => PurgeAll(), null, PurgeInterval, PurgeInterval);
        var shared = _tables.Values.Where(table => _sharing.ContainsKey(table.Name)).GroupBy(table => _sharing[table.Name]);
        foreach (var group in shared)
        {
            _syncs.Add(Peers.PeerSync.Start(group.Key, [.. group], NodeId, _time, _logger));
        }
    }

    internal void PurgeAll()
    {
        foreach (var table in _tables.Values)
        {
            table.Purge();
        }
    }

    /// <summary>
    /// Returns the previous configuration's table of the same name when its definition is unchanged apart from
    /// the line it sits on, so that a reload keeps the entries, as HAProxy keeps them across a reload with peers.
    /// </summary>
    private static StickTable? Reuse(StickTableRegistry? previous, StickTableDefinition definition)
    {
        if (previous?.Find(definition.Name) is not { } table)
        {
            return null;
        }

        var old = table.Definition;
        var same = old.KeyType == definition.KeyType && old.KeyLength == definition.KeyLength && old.Size == definition.Size
            && old.Expire == definition.Expire && old.NoPurge == definition.NoPurge && old.Stored.SequenceEqual(definition.Stored)
            && old.Sharing?.Name == definition.Sharing?.Name;
        return same ? table : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sync in _syncs)
        {
            await sync.DisposeAsync();
        }

        if (_purgeTimer is not null)
        {
            await _purgeTimer.DisposeAsync();
        }
    }
}
