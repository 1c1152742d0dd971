namespace Gatehouse.Balancer.Maps;

/// <summary>One key and value of a map, with the id that `show map` prints for it.</summary>
internal sealed record MapEntry(long Id, string Key, string Value);

/// <summary>
/// A map file loaded for `map*` converters: ordered key/value entries that the runtime API may change while requests
/// read them. Readers take the current snapshot without a lock, and each change publishes a new one.
/// </summary>
internal sealed class MapFile
{
    /// <summary>The maximum number of entries in a map, from its file and from `add map` together.</summary>
    public const int MaxEntries = 1_000_000;

    private readonly object _writeLock = new();
    private long _nextEntryId = 1;
    private volatile MapEntry[] _entries;

    public MapFile(int id, string name, Configuration.ConfigLocation usedAt, IEnumerable<(string Key, string Value)> entries)
    {
        Id = id;
        Name = name;
        UsedAt = usedAt;
        _entries = [.. entries.Select(entry => new MapEntry(_nextEntryId++, entry.Key, entry.Value))];
    }

    /// <summary>The number `show map` lists and `#ID` names.</summary>
    public int Id { get; }

    /// <summary>The file name as the configuration writes it, which the runtime API commands take.</summary>
    public string Name { get; }

    /// <summary>The configuration line of the first converter that loaded the file.</summary>
    public Configuration.ConfigLocation UsedAt { get; }

    /// <summary>The entries in file order, then in the order `add map` added them.</summary>
    public MapEntry[] Entries => _entries;

    /// <summary>Appends an entry; returns false when the map already contains <see cref="MaxEntries"/> entries.</summary>
    public bool Add(string key, string value)
    {
        lock (_writeLock)
        {
            if (_entries.Length >= MaxEntries)
            {
                return false;
            }

            _entries = [.. _entries, new MapEntry(_nextEntryId++, key, value)];
            return true;
        }
    }

    /// <summary>Sets the value of every entry with <paramref name="key"/>; returns false when there is none.</summary>
    public bool Set(string key, string value) => Replace(entry => entry.Key == key ? entry with { Value = value } : entry);

    /// <summary>Removes every entry with <paramref name="key"/>; returns false when there is none.</summary>
    public bool Delete(string key) => Replace(entry => entry.Key == key ? null : entry);

    public void Clear()
    {
        lock (_writeLock)
        {
            _entries = [];
        }
    }

    private bool Replace(Func<MapEntry, MapEntry?> change)
    {
        lock (_writeLock)
        {
            var found = false;
            var updated = new List<MapEntry>(_entries.Length);
            foreach (var entry in _entries)
            {
                var next = change(entry);
                found |= !ReferenceEquals(next, entry);
                if (next is not null)
                {
                    updated.Add(next);
                }
            }

            if (found)
            {
                _entries = [.. updated];
            }

            return found;
        }
    }
}
