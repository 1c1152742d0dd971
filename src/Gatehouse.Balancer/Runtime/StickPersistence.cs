using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Runs a backend's `stick` lines: a match rule picks the server whose id the table stores for the request's
/// key, and a store rule records the server that served the request. Server ids are 1-based positions in the
/// backend, which is how HAProxy numbers servers without an `id` keyword.
/// </summary>
internal static class StickPersistence
{
    /// <summary>Returns the server the first matching rule names, or null when none names a usable server.</summary>
    public static ServerState? Match(BackendPool backend, SampleContext sample)
    {
        foreach (var rule in backend.Config.StickRules)
        {
            if (!rule.Matches || rule.Resolve(sample) is not { Table: { } table, Key: { } key })
            {
                continue;
            }

            if (table.Lookup(key) is not { } entry || table.Read(entry, StickDataType.ServerId) is not { } id)
            {
                continue;
            }

            // A server that is down, disabled or in maintenance is skipped, so the request is balanced normally.
            if (id >= 1 && id <= backend.Servers.Length && backend.Servers[id - 1] is { AcceptsPersistent: true } server)
            {
                return server;
            }
        }

        return null;
    }

    /// <summary>Stores <paramref name="server"/> under the request's key, once per table, as HAProxy does.</summary>
    public static void Store(BackendPool backend, SampleContext sample, ServerState server)
    {
        List<StickTable>? stored = null;
        foreach (var rule in backend.Config.StickRules)
        {
            if (!rule.Stores || rule.Resolve(sample) is not { Table: { } table, Key: { } key } || (stored?.Contains(table) ?? false))
            {
                continue;
            }

            if (table.GetOrCreate(key) is { } entry)
            {
                table.Set(entry, StickDataType.ServerId, Array.IndexOf(backend.Servers, server) + 1);
                (stored ??= []).Add(table);
            }
        }
    }
}
