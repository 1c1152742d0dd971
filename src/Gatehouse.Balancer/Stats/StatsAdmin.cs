using System.Net;
using System.Text;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Balancer.RuntimeApi;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Handler for the `stats admin` form. A POST of `s=SERVER` (repeated), `action=ACTION` and `b=BACKEND` (a name or `#id`)
/// changes server states and redirects with 303 to the stats URI with `;st=CODE`, as HAProxy 2.6 does.
/// </summary>
internal static class StatsAdmin
{
    // HAProxy reads the form into one buffer, so a larger body gets EXCD.
    // NOTE: 16 KiB is an estimate of HAProxy's default buffer size less the request headers, not its exact limit.
    private const int MaxBody = 16 * 1024;

    /// <summary>Actions offered in the form, with their labels. The handler also accepts the older `enable` and `disable`.</summary>
    public static readonly (string Action, string Label)[] FormActions =
    [
        ("ready", "Set state to READY"), ("drain", "Set state to DRAIN"), ("maint", "Set state to MAINT"),
    ];

    public static async Task<RuleResponse> ApplyAsync(StatsSettings settings, HttpRequest request, string target, RoutingState state)
    {
        var code = await ProcessAsync(request, state);
        return Redirect(settings, target, code);
    }

    /// <summary>Builds the response to a POST from a client that no `stats admin` condition matches.</summary>
    public static RuleResponse Deny(StatsSettings settings, string target) => Redirect(settings, target, "DENY");

    /// <summary>Returns the message the page shows for `;st=CODE`, or null for an unknown code.</summary>
    /// <remarks>NOTE: the messages follow HAProxy's meaning for each code, but the wording is not checked against HAProxy.</remarks>
    public static string? StatusMessage(string code) => code switch
    {
        "DONE" => "Action processed successfully.",
        "NONE" => "Nothing has changed.",
        "PART" => "Action partially processed.",
        "ERRP" => "Action not processed because of invalid parameters.",
        "EXCD" => "Action not processed: the buffer couldn't store all the data. You should retry with less servers at a time.",
        "DENY" => "Action denied.",
        "UNKN" => "Unexpected result.",
        _ => null,
    };

    /// <summary>Maps backend names to the ids that `b=#id` uses: HAProxy numbers proxy sections from 2 in declaration order.</summary>
    public static Dictionary<string, int> BackendIds(RoutingState state)
    {
        var proxyIds = ServerCommands.ProxyIds(state);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var backend in state.Config.Backends)
        {
            ids[backend.Name] = proxyIds[(backend.Name, backend.Location)];
        }

        return ids;
    }

    private static async Task<string> ProcessAsync(HttpRequest request, RoutingState state)
    {
        var body = await ReadBodyAsync(request);
        if (body is null)
        {
            return "EXCD";
        }

        string? backendName = null;
        string? action = null;
        var servers = new List<string>();
        foreach (var field in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? field : field[..equals];
            var value = equals < 0 ? "" : WebUtility.UrlDecode(field[(equals + 1)..]);
            switch (key)
            {
                case "b":
                    backendName ??= value;
                    break;
                case "action":
                    action ??= value;
                    break;
                case "s":
                    servers.Add(value);
                    break;
            }
        }

        if (backendName is null || action is null || servers.Count == 0)
        {
            return backendName is null && action is null && servers.Count == 0 ? "NONE" : "ERRP";
        }

        var backend = FindBackend(state, backendName);
        ServerAdminState? target = action switch
        {
            "ready" or "enable" => ServerAdminState.Ready,
            "drain" => ServerAdminState.Drain,
            "maint" or "disable" => ServerAdminState.Maintenance,
            _ => null,
        };
        if (backend is null || target is not { } adminState)
        {
            return "ERRP";
        }

        var altered = 0;
        foreach (var server in servers)
        {
            if (Array.Exists(backend.Servers, candidate => candidate.Name == server)
                && ServerCommands.SetAdminState(state, [$"{backend.Name}/{server}"], adminState).Length == 0)
            {
                altered++;
            }
        }

        if (altered == 0)
        {
            return "ERRP";
        }

        return altered == servers.Count ? "DONE" : "PART";
    }

    private static BackendPool? FindBackend(RoutingState state, string name)
    {
        if (name.StartsWith('#'))
        {
            var id = name[1..];
            var match = BackendIds(state).FirstOrDefault(pair => pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == id);
            name = match.Key ?? "";
        }

        return state.Backends.TryGetValue(name, out var backend) ? backend : null;
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // HAProxy copies the page options ";up" and ";norefresh" into the redirect.
    private static RuleResponse Redirect(StatsSettings settings, string target, string code)
    {
        var options = target[settings.Uri.Length..];
        var location = new StringBuilder(settings.Uri).Append(";st=").Append(code);
        if (options.Contains(";up", StringComparison.Ordinal))
        {
            location.Append(";up");
        }

        if (options.Contains(";norefresh", StringComparison.Ordinal))
        {
            location.Append(";norefresh");
        }

        return new RuleResponse(303, "text/plain", "", location.ToString(), "static", $"stats admin {code}") { CacheControl = "no-cache" };
    }
}
