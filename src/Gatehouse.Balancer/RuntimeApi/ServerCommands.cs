using System.Globalization;
using System.Text;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>
/// The server commands of the runtime API: `disable server`, `enable server`, `set server ... state|weight`,
/// `show servers state` and `show backend`. Messages and formats are those HAProxy 2.6.12 prints.
/// </summary>
internal static class ServerCommands
{
    private const string StateHeader =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change "
        + "srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn "
        + "srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private const string SetServerUsage =
        "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n";

    public static string SetAdminState(RoutingState? state, IReadOnlyList<string> args, ServerAdminState adminState)
    {
        if (Find(state, args, out var backend, out var server) is { } error)
        {
            return error;
        }

        Apply(backend!, server!, adminState);
        return "";
    }

    /// <summary>Runs `set server B/S state|weight ...`; <paramref name="args"/> starts at `B/S`.</summary>
    public static string Set(RoutingState? state, IReadOnlyList<string> args)
    {
        if (Find(state, args, out var backend, out var server) is { } error)
        {
            return error;
        }

        var value = args.Count > 2 ? args[2] : null;
        return (args.Count > 1 ? args[1] : "") switch
        {
            "state" => SetState(backend!, server!, value),
            "weight" => SetWeight(backend!, server!, value),
            "addr" or "agent" or "agent-addr" or "agent-port" or "agent-send" or "check-addr" or "check-port" or "fqdn" or "health" or "ssl" =>
                $"'set server <srv> {args[1]}' is not supported by Gatehouse.\n",
            _ => SetServerUsage,
        };
    }

    /// <summary>Prints `show servers state [BACKEND]` in format version 1.</summary>
    public static string ShowState(RoutingState? state, IReadOnlyList<string> args)
    {
        var proxies = ProxyIds(state);
        var backends = state?.Config.Backends ?? [];
        if (args.Count > 0)
        {
            backends = [.. backends.Where(backend => backend.Name == args[0])];
            if (backends.Count == 0)
            {
                return "Can't find backend.\n";
            }
        }

        var text = new StringBuilder(StateHeader);
        foreach (var backend in backends)
        {
            var pool = state!.Backends[backend.Name];
            for (var i = 0; i < pool.Servers.Length; i++)
            {
                AppendState(text, proxies[(backend.Name, backend.Location)], backend.Name, i + 1, pool.Servers[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>Prints `show backend`: every backend and listen section, in declaration order.</summary>
    public static string ShowBackends(RoutingState? state)
    {
        var text = new StringBuilder("# name\n");
        foreach (var backend in state?.Config.Backends ?? [])
        {
            text.Append(backend.Name).Append('\n');
        }

        return text.ToString();
    }

    private static string? Find(RoutingState? state, IReadOnlyList<string> args, out BackendPool? backend, out ServerState? server)
    {
        backend = null;
        server = null;
        var slash = args.Count > 0 ? args[0].IndexOf('/', StringComparison.Ordinal) : -1;
        if (slash < 0)
        {
            return "Require 'backend/server'.\n";
        }

        if (state is null || !state.Backends.TryGetValue(args[0][..slash], out backend))
        {
            return "No such backend.\n";
        }

        var name = args[0][(slash + 1)..];
        server = Array.Find(backend.Servers, candidate => candidate.Name == name);
        return server is null ? "No such server.\n" : null;
    }

    private static string SetState(BackendPool backend, ServerState server, string? value)
    {
        ServerAdminState? adminState = value switch
        {
            "ready" => ServerAdminState.Ready,
            "drain" => ServerAdminState.Drain,
            "maint" => ServerAdminState.Maintenance,
            _ => null,
        };
        if (adminState is not { } newState)
        {
            return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
        }

        Apply(backend, server, newState);
        return "";
    }

    private static string SetWeight(BackendPool backend, ServerState server, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "Require <weight> or <weight%>.\n";
        }

        var relative = value.EndsWith('%');
        var digits = relative ? value[..^1] : value;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            // HAProxy 2.6 prints this message without a trailing newline.
            return "Empty weight string empty or preceded by garbage";
        }

        var weight = relative ? (int)Math.Min((long)server.Config.Weight * number / 100, int.MaxValue) : number;
        if (weight > 256)
        {
            return relative ? "Relative weight too large.\n" : "Absolute weight can only be between 0 and 256 inclusive.\n";
        }

        server.SetWeight(weight);
        backend.DispatchAll();
        return "";
    }

    private static void Apply(BackendPool backend, ServerState server, ServerAdminState adminState)
    {
        server.SetAdminState(adminState);
        if (adminState == ServerAdminState.Ready)
        {
            // Requests queued while every server was out may now go to this one.
            backend.DispatchAll();
        }
    }

    private static void AppendState(StringBuilder text, int backendId, string backendName, int serverId, ServerState server)
    {
        var maintenance = server.AdminState == ServerAdminState.Maintenance;
        var operational = server.IsUp && !maintenance ? 2 : 0;
        var admin = server.AdminState switch
        {
            // `disabled` on the server line shows as HAProxy's configuration-maintenance flags.
            ServerAdminState.Maintenance => server.Config.Disabled && !server.WasInMaintenance ? 5 : 1,
            ServerAdminState.Drain => 8,
            _ => 0,
        };
        // NOTE: check status, result and state are HAProxy's values for a server without `check`; checked servers differ.
        // HAProxy shows 2 for a server without `check` until it first enters maintenance, then 0.
        var health = server.WasInMaintenance || server.Config.Disabled ? 0 : 2;
        if (server.Config.Check is not null)
        {
            health = server.Health;
        }

        var checkState = server.Config.Disabled && !server.WasInMaintenance && maintenance ? 8 : 0;
        text.Append(CultureInfo.InvariantCulture,
            $"{backendId} {backendName} {serverId} {server.Name} {server.Config.Host} {operational} {admin} {server.Weight} {server.Config.Weight} ");
        text.Append(CultureInfo.InvariantCulture,
            $"{server.SecondsSinceLastChange} 1 0 {health} {checkState} 0 0 0 - {server.Config.Port} - 0 0 - - 0\n");
    }

    /// <summary>
    /// Maps each proxy section to its id. HAProxy numbers frontend, backend and listen sections from 2 in
    /// declaration order, and a listen section counts once.
    /// </summary>
    public static Dictionary<(string Name, Configuration.ConfigLocation Location), int> ProxyIds(RoutingState? state)
    {
        var ids = new Dictionary<(string Name, Configuration.ConfigLocation Location), int>();
        if (state is null)
        {
            return ids;
        }

        var sections = state.Config.Frontends.Select(frontend => (frontend.Name, frontend.Location))
            .Concat(state.Config.Backends.Select(backend => (backend.Name, backend.Location)))
            .Distinct()
            .OrderBy(section => section.Location.File, StringComparer.Ordinal)
            .ThenBy(section => section.Location.Line);
        var next = 2;
        foreach (var section in sections)
        {
            // Keyed by location too, because a frontend and a backend may share a name.
            ids[section] = next++;
        }

        return ids;
    }
}
