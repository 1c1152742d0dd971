using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Maps;

/// <summary>
/// The map files of one configuration, by the name the configuration writes. Converters that name the same file
/// share one <see cref="MapFile"/>, so a runtime API change reaches all of them. A reload reads the files again.
/// </summary>
internal sealed class MapRegistry
{
    /// <summary>The longest map file line that is read; longer lines fail the load.</summary>
    private const int MaxLineLength = 64 * 1024;

    // Parsing runs on one thread from start to end, and converters are parsed deep inside rules, where neither the
    // registry nor the line is passed down.
    [ThreadStatic]
    private static MapRegistry? t_parsing;

    private readonly Dictionary<string, MapFile> _maps = new(StringComparer.Ordinal);

    /// <summary>The line being parsed, recorded as the place a newly loaded map is used at.</summary>
    public ConfigLocation CurrentLine { get; set; }

    /// <summary>Folder of the file being parsed, against which relative map paths are resolved.</summary>
    public string BaseDirectory { get; set; } = "";

    /// <summary>The maps in id order.</summary>
    public IReadOnlyList<MapFile> Maps => [.. _maps.Values.OrderBy(map => map.Id)];

    public static MapRegistry? Parsing => t_parsing;

    public static void BeginParse(MapRegistry registry) => t_parsing = registry;

    public static void EndParse() => t_parsing = null;

    /// <summary>Finds a map by its file name or by "#ID".</summary>
    public MapFile? Find(string reference)
    {
        if (reference.StartsWith('#'))
        {
            return int.TryParse(reference.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? _maps.Values.FirstOrDefault(map => map.Id == id)
                : null;
        }

        return _maps.GetValueOrDefault(reference);
    }

    /// <summary>Returns the map for <paramref name="name"/>, loading the file on first use; null and a problem when it cannot be read.</summary>
    public MapFile? Load(string name, List<string> problems)
    {
        if (_maps.TryGetValue(name, out var loaded))
        {
            return loaded;
        }

        var path = Path.IsPathRooted(name) ? name : Path.Combine(BaseDirectory, name);
        var entries = new List<(string, string)>();
        try
        {
            foreach (var raw in File.ReadLines(path))
            {
                if (!TryReadLine(raw, name, entries, problems))
                {
                    return null;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read map file '{path}': {exception.Message}");
            return null;
        }

        var map = new MapFile(_maps.Count, name, CurrentLine, entries);
        _maps.Add(name, map);
        return map;
    }

    // A line contains a key, blanks, then the value up to the end of the line. A line starting with '#' is a comment.
    private static bool TryReadLine(string raw, string name, List<(string, string)> entries, List<string> problems)
    {
        if (raw.Length > MaxLineLength || entries.Count >= MapFile.MaxEntries)
        {
            problems.Add($"map file '{name}' has a line over {MaxLineLength} characters or more than {MapFile.MaxEntries} entries");
            return false;
        }

        var line = raw.Trim();
        if (line.Length == 0 || line[0] == '#')
        {
            return true;
        }

        var blank = line.IndexOfAny([' ', '\t']);
        entries.Add(blank < 0 ? (line, "") : (line[..blank], line[blank..].Trim()));
        return true;
    }
}
