namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The `table NAME` arguments met while one configuration is parsed, so that the parser can check after the
/// last line that every named table is declared. Rule and fetch parsers record names here because they run
/// deep inside condition parsing, where the line's location is not passed down.
/// </summary>
internal static class StickTableReferences
{
    // Parsing runs on one thread from start to end, so a thread-static list cannot mix two parses.
    [ThreadStatic]
    private static List<string>? t_pending;

    /// <summary>Records a table name when a collection is active; null names (the proxy's own table) are skipped.</summary>
    public static void Record(string? name)
    {
        if (name is not null)
        {
            t_pending?.Add(name);
        }
    }

    /// <summary>Starts collecting on this thread, dropping anything collected before.</summary>
    public static void Begin() => t_pending = [];

    /// <summary>Returns the names recorded since the last call and clears them.</summary>
    public static List<string> Drain()
    {
        var names = t_pending ?? [];
        t_pending = names.Count == 0 ? names : [];
        return names;
    }

    /// <summary>Stops collecting on this thread.</summary>
    public static void End() => t_pending = null;
}
