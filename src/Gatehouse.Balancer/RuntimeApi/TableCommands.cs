using System.Globalization;
using System.Text;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>`show table`, `clear table` and `set table`, with HAProxy 2.6's output lines.</summary>
internal static class TableCommands
{
    public static string Show(StickTableRegistry? registry, IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        if (args.Count == 0)
        {
            foreach (var table in registry?.Tables ?? [])
            {
                AppendHeader(text, table);
            }

            return text.ToString();
        }

        if (registry?.Find(args[0]) is not { } found)
        {
            return "No such table\n";
        }

        if (!TryParseFilter(found, args.Skip(1).ToList(), out var filter, out var error))
        {
            return error;
        }

        AppendHeader(text, found);
        foreach (var entry in found.Entries.OrderBy(entry => entry.Id).Where(filter))
        {
            AppendEntry(text, found, entry);
        }

        return text.ToString();
    }

    public static string Clear(StickTableRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return "Required table name.\n";
        }

        if (registry?.Find(args[0]) is not { } table)
        {
            return "No such table\n";
        }

        if (!TryParseFilter(table, args.Skip(1).ToList(), out var filter, out var error))
        {
            return error;
        }

        foreach (var entry in table.Entries.Where(filter).ToList())
        {
            table.Remove(entry.Key);
        }

        return "";
    }

    /// <summary>`set table NAME key KEY [data.TYPE VALUE]...`: creates the entry when missing and sets each value.</summary>
    public static string Set(StickTableRegistry? registry, IReadOnlyList<string> args)
    {
        if (args.Count == 0 || registry?.Find(args[0]) is not { } table)
        {
            return args.Count == 0 ? "Required table name.\n" : "No such table\n";
        }

        if (args.Count < 3 || args[1] != "key" || StickKeys.Normalize(table.Definition, args[2]) is not { } key)
        {
            return "Unable to parse key.\n";
        }

        var values = new List<(StickDataType Type, long Value)>();
        for (var i = 3; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("data.", StringComparison.Ordinal) || !StickDataTypes.TryParse(args[i][5..], out var type))
            {
                return "Unknown data type\n";
            }

            if (!table.Stores(type))
            {
                return "Data type not stored in this table\n";
            }

            if (i + 1 >= args.Count || !long.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return "Require a valid integer value to store\n";
            }

            values.Add((type, value));
        }

        if (table.GetOrCreate(key) is not { } entry)
        {
            return "Unable to allocate a new entry\n";
        }

        foreach (var (type, value) in values)
        {
            table.Set(entry, type, value);
        }

        return "";
    }

    internal static void AppendHeader(StringBuilder text, StickTable table) =>
        text.Append(CultureInfo.InvariantCulture,
            $"# table: {table.Name}, type: {table.Definition.KeyTypeName}, size:{table.Definition.Size}, used:{table.Count}\n");

    // HAProxy prints the entry's memory address; the entry id stands in for it, so lines keep the "0x...:" shape.
    private static void AppendEntry(StringBuilder text, StickTable table, StickEntry entry)
    {
        text.Append(CultureInfo.InvariantCulture, $"0x{entry.Id:x12}: key={entry.Key} use={entry.References} exp={table.RemainingMs(entry)}");
        foreach (var value in table.Snapshot(entry).OrderBy(value => value.Type))
        {
            text.Append(' ').Append(value.Type.Name());
            if (value.PeriodMs > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"({value.PeriodMs})");
            }

            text.Append(CultureInfo.InvariantCulture, $"={value.Value}");
        }

        text.Append('\n');
    }

    // Filters: `key KEY`, or `data.TYPE OP VALUE` with OP one of eq, ne, lt, le, gt, ge.
    private static bool TryParseFilter(StickTable table, List<string> args, out Func<StickEntry, bool> filter, out string error)
    {
        filter = _ => true;
        error = "";
        if (args.Count == 0)
        {
            return true;
        }

        if (args[0] == "key" && args.Count == 2)
        {
            var key = StickKeys.Normalize(table.Definition, args[1]);
            filter = entry => entry.Key == key;
            return true;
        }

        if (args.Count != 3 || !args[0].StartsWith("data.", StringComparison.Ordinal) || !StickDataTypes.TryParse(args[0][5..], out var type))
        {
            error = "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n";
            return false;
        }

        if (!table.Stores(type))
        {
            error = "Data type not stored in this table\n";
            return false;
        }

        Func<long, long, bool>? compare = args[1] switch
        {
            "eq" => (a, b) => a == b,
            "ne" => (a, b) => a != b,
            "lt" => (a, b) => a < b,
            "le" => (a, b) => a <= b,
            "gt" => (a, b) => a > b,
            "ge" => (a, b) => a >= b,
            _ => null,
        };
        if (compare is null || !long.TryParse(args[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var operand))
        {
            error = "Require a valid integer value to compare against\n";
            return false;
        }

        filter = entry => compare(table.Read(entry, type) ?? 0, operand);
        return true;
    }
}
