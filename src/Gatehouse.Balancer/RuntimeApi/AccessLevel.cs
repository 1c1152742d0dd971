using System.Text;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>The `level` of a `stats socket`: what the commands sent to it may change.</summary>
internal enum AccessLevel
{
    User,
    Operator,
    Admin,
}

/// <summary>
/// Applies HAProxy 2.6.12's level checks, observed command by command against its stats socket. Servers change at
/// admin level only. Table entries are shown, set and cleared at operator level or above. At user level `show
/// table NAME` prints only the header, and `clear table NAME` without a filter changes nothing. The map commands
/// run at every level, as HAProxy 2.6 allows.
/// </summary>
internal static class CommandAccess
{
    public const string Denied = "Permission denied\n";

    public static AccessLevel Parse(string level) => level switch
    {
        "user" => AccessLevel.User,
        "operator" => AccessLevel.Operator,
        _ => AccessLevel.Admin,
    };

    /// <summary>Returns the output that replaces the command at <paramref name="level"/>, or null when it may run.</summary>
    public static string? Check(AccessLevel level, IReadOnlyList<string> words, StickTableRegistry? tables)
    {
        if (level == AccessLevel.Admin || words.Count < 2)
        {
            return null;
        }

        var rest = words.Skip(2).ToList();
        return (words[0], words[1]) switch
        {
            ("disable" or "enable" or "set", "server") => Denied,
            ("show", "table") when level == AccessLevel.User => ShowTable(tables, rest),
            ("clear", "table") when level == AccessLevel.User => ChangeTable(tables, rest, clear: true),
            ("set", "table") when level == AccessLevel.User => ChangeTable(tables, rest, clear: false),
            _ => null,
        };
    }

    private static string? ShowTable(StickTableRegistry? tables, List<string> args)
    {
        if (args.Count == 0 || tables?.Find(args[0]) is not { } table)
        {
            return null;
        }

        if (args.Contains("key"))
        {
            return Denied;
        }

        var text = new StringBuilder();
        TableCommands.AppendHeader(text, table);
        return text.Append("# contents not dumped due to insufficient privileges\n").ToString();
    }

    private static string? ChangeTable(StickTableRegistry? tables, List<string> args, bool clear)
    {
        if (args.Count == 0 || tables?.Find(args[0]) is null)
        {
            return null;
        }

        return clear && args.Count == 1 ? "" : Denied;
    }
}
