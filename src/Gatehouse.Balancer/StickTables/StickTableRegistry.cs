namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The stick tables of one configuration by name (the name of the backend or listen section that declares
/// each). A timer purges expired entries once a second while the registry is started.
/// </summary>
public sealed class StickTableRegistry : IAsyncDisposable
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, StickTable> _tables;
    private readonly TimeProvider _time;
    private ITimer? _purgeTimer;

    internal StickTableRegistry(IEnumerable<StickTableDefinition> definitions, TimeProvider time, StickTableRegistry? previous = null)
    {
        _time = time;
        _tables = definitions.ToDictionary(
            definition => definition.Name, definition => Reuse(previous, definition) ?? new StickTable(definition, time), StringComparer.Ordinal);
    }

    /// <summary>Every table, in declaration order.</summary>
    public IReadOnlyCollection<StickTable> Tables => _tables.Values;

    /// <summary>Returns the table declared in section <paramref name="name"/>, or null when there is none.</summary>
    public StickTable? Find(string name) => _tables.GetValueOrDefault(name);

    /// <summary>Starts the purge timer; calling it again does nothing.</summary>
    internal void Start()
    {
        _purgeTimer ??= _time.CreateTimer(_ => PurgeAll(), null, PurgeInterval, PurgeInterval);
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
            && old.Expire == definition.Expire && old.NoPurge == definition.NoPurge && old.Stored.SequenceEqual(definition.Stored);
        return same ? table : null;
    }

    public ValueTask DisposeAsync() => _purgeTimer?.DisposeAsync() ?? ValueTask.CompletedTask;
}
