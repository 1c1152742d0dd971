using System.Globalization;
using System.Text;
using Gatehouse.Balancer.Maps;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>
/// `show map`, `add map`, `set map`, `del map` and `clear map` on the maps that `map*` converters loaded, with
/// HAProxy 2.6.12's output lines and messages. A change applies to the next lookup of every converter of that map.
/// NOTE: map ids are numbered from 0 in the order the configuration first uses each file, so they differ from
/// HAProxy's, which also counts ACL pattern files. Versions (`@ver`), payloads and `#<ref>` entry keys are not supported.
/// </summary>
internal static class MapCommands
{
    private const string UnknownMap = "Unknown map identifier. Please use #<id> or <file>.\n";

    public static string Show(MapRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return List(registry);
        }

        if (registry?.Find(args[0]) is not { } map)
        {
            return UnknownMap;
        }

        var text = new StringBuilder();
        foreach (var entry in map.Entries)
        {
            text.Append("0x").Append(entry.Id.ToString("x", CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.Key).Append(' ').Append(entry.Value).Append('\n');
        }

        return text.ToString();
    }

    public static string Add(MapRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count != 3)
        {
            return "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n";
        }

        if (registry?.Find(args[0]) is not { } map)
        {
            return UnknownMap;
        }

        return map.Add(args[1], args[2]) ? "" : $"Map is full: it already contains {MapFile.MaxEntries} entries.\n";
    }

    public static string Set(MapRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count != 3)
        {
            return "'set map' expects three parameters: map identifier, key and value.\n";
        }

        if (registry?.Find(args[0]) is not { } map)
        {
            return UnknownMap;
        }

        return map.Set(args[1], args[2]) ? "" : "entry not found.\n";
    }

    public static string Delete(MapRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count != 2)
        {
            return "This command expects two parameters: map identifier and key.\n";
        }

        if (registry?.Find(args[0]) is not { } map)
        {
            return UnknownMap;
        }

        return map.Delete(args[1]) ? "" : "Key not found.\n";
    }

    public static string Clear(MapRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return "Missing map identifier.\n";
        }

        if (registry?.Find(args[0]) is not { } map)
        {
            return UnknownMap;
        }

        map.Clear();
        return "";
    }

    private static string List(MapRegistry? registry)
    {
        var text = new StringBuilder("# id (file) description\n");
        foreach (var map in registry?.Maps ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"{map.Id} ({map.Name}) pattern loaded from file '{map.Name}' used by map at file ")
                .Append(CultureInfo.InvariantCulture, $"'{map.UsedAt.File}' line {map.UsedAt.Line}. curr_ver=0 next_ver=0 entry_cnt={map.Entries.Length}\n");
        }

        return text.ToString();
    }
}
