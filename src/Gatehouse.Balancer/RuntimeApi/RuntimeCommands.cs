using System.Text;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>
/// Runs one runtime API command and returns its output without the blank line that ends every response.
/// Command names, messages and formats follow HAProxy 2.6's management guide.
/// </summary>
internal sealed class RuntimeCommands
{
    private static readonly (string Usage, string Description)[] Help =
    [
        ("add map [@<ver>] <map> <key> <val>", "add a map entry (payload supported instead of key/val)"),
        ("clear map [@<ver>] <map>", "clear the contents of this map"),
        ("clear table <table> [<filter>]*", "remove an entry from a table (filter: data/key)"),
        ("del map <map> [<key>|#<ref>]", "delete map entries matching <key>"),
        ("disable server (DEPRECATED)", "disable a server for maintenance (use 'set server' instead)"),
        ("enable server  (DEPRECATED)", "enable a disabled server (use 'set server' instead)"),
        ("set map <map> [<key>|#<ref>] <value>", "modify a map entry"),
        ("set server <bk>/<srv> [opts]", "change a server's state, weight, address or ssl"),
        ("set table <table> key <k> [data.* <v>]*", "update or create a table entry's data"),
        ("show backend", "list backends in the current running config"),
        ("show info [desc|json|typed|float]*", "report information about the running process"),
        ("show map [@ver] [map]", "report available maps or dump a map's contents"),
        ("show servers state [<backend>]", "dump volatile server information (all or for a single backend)"),
        ("show stat [desc|json|no-maint|typed|up]*", "report counters for each proxy and server"),
        ("show table <table> [<filter>]*", "report table usage stats or dump this table's contents (filter: data/key)"),
        ("help [<command>]", "list matching or all commands"),
        ("prompt", "toggle interactive mode with prompt"),
        ("quit", "disconnect"),
    ];

    private readonly RuntimeApiContext _context;
    private readonly AccessLevel _level;

    /// <param name="level">The socket's `level`; commands above it answer "Permission denied".</param>
    public RuntimeCommands(RuntimeApiContext context, AccessLevel level = AccessLevel.Admin)
    {
        _context = context;
        _level = level;
    }

    public string Execute(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return "";
        }

        if (CommandAccess.Check(_level, words, _context.CurrentTables) is { } refused)
        {
            return refused;
        }

        var rest = words.Skip(2).ToList();
        var maps = _context.Routing?.Invoke().Config.Maps;
        return (words[0], words.Count > 1 ? words[1] : "") switch
        {
            ("show", "map") => MapCommands.Show(maps, rest),
            ("add", "map") => MapCommands.Add(maps, rest),
            ("set", "map") => MapCommands.Set(maps, rest),
            ("del", "map") => MapCommands.Delete(maps, rest),
            ("clear", "map") => MapCommands.Clear(maps, rest),
            ("help", _) => HelpText("The following commands are valid at this level:\n"),
            ("show", "table") => TableCommands.Show(_context.CurrentTables, rest),
            ("clear", "table") => TableCommands.Clear(_context.CurrentTables, rest),
            ("set", "table") => TableCommands.Set(_context.CurrentTables, rest),
            ("show", "info") => InfoCommands.ShowInfo(_context),
            ("show", "stat") => InfoCommands.ShowStat(_context),
            ("show", "backend") => ServerCommands.ShowBackends(_context.Routing?.Invoke()),
            ("show", "servers") when rest.Count > 0 && rest[0] == "state" => ServerCommands.ShowState(_context.Routing?.Invoke(), rest[1..]),
            ("disable", "server") => ServerCommands.SetAdminState(_context.Routing?.Invoke(), rest, LoadBalancing.ServerAdminState.Maintenance),
            ("enable", "server") => ServerCommands.SetAdminState(_context.Routing?.Invoke(), rest, LoadBalancing.ServerAdminState.Ready),
            ("set", "server") => ServerCommands.Set(_context.Routing?.Invoke(), rest),
            _ => HelpText("Unknown command, but maybe one of the following ones is a better match:\n"),
        };
    }

    /// <summary>Splits a request line into commands at unescaped ';' and each command into words at blanks; '\' escapes the next character.</summary>
    public static List<List<string>> Split(string line)
    {
        var commands = new List<List<string>> { new() };
        var word = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
            }
            else if (c is ' ' or '\t' or ';')
            {
                EndWord(commands[^1], word);
                if (c == ';')
                {
                    commands.Add([]);
                }
            }
            else
            {
                word.Append(c);
            }
        }

        EndWord(commands[^1], word);
        return commands;
    }

    private static void EndWord(List<string> words, StringBuilder word)
    {
        if (word.Length > 0)
        {
            words.Add(word.ToString());
            word.Clear();
        }
    }

    private static string HelpText(string title)
    {
        var text = new StringBuilder(title);
        foreach (var (usage, description) in Help)
        {
            text.Append("  ").Append(usage.PadRight(40)).Append(": ").Append(description).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>
/// What runtime API commands read: the stick tables, the routing state and the process start time. With a routing
/// state, the tables are the ones of the state in use, which a reload replaces.
/// </summary>
internal sealed record RuntimeApiContext(StickTableRegistry? Tables, Func<Runtime.RoutingState>? Routing, TimeProvider Time, DateTimeOffset Started)
{
    public StickTableRegistry? CurrentTables => Routing?.Invoke().StickTables ?? Tables;
}
