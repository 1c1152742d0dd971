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
        ("clear table <table> [<filter>]*", "remove an entry from a table (filter: data/key)"),
        ("help [<command>]", "list matching or all commands"),
        ("prompt", "toggle interactive mode with prompt"),
        ("quit", "disconnect"),
        ("set table <table> key <k> [data.* <v>]*", "update or create a table entry's data"),
        ("show info [desc|json|typed|float]*", "report information about the running process"),
        ("show stat [desc|json|no-maint|typed|up]*", "report counters for each proxy and server"),
        ("show table <table> [<filter>]*", "report table usage stats or dump this table's contents (filter: data/key)"),
    ];

    private readonly RuntimeApiContext _context;

    public RuntimeCommands(RuntimeApiContext context)
    {
        _context = context;
    }

    public string Execute(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return "";
        }

        var rest = words.Skip(2).ToList();
        return (words[0], words.Count > 1 ? words[1] : "") switch
        {
            ("help", _) => HelpText("The following commands are valid at this level:\n"),
            ("show", "table") => TableCommands.Show(_context.Tables, rest),
            ("clear", "table") => TableCommands.Clear(_context.Tables, rest),
            ("set", "table") => TableCommands.Set(_context.Tables, rest),
            ("show", "info") => InfoCommands.ShowInfo(_context),
            ("show", "stat") => InfoCommands.ShowStat(_context),
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

/// <summary>What runtime API commands read: the stick tables, the routing state and the process start time.</summary>
internal sealed record RuntimeApiContext(StickTableRegistry? Tables, Func<Runtime.RoutingState>? Routing, TimeProvider Time, DateTimeOffset Started);
