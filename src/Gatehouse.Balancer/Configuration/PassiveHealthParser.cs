using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// Parses a server's passive health options: `observe none|layer4|layer7`, `error-limit N` and
/// `on-error fastinter|fail-check|sudden-death|mark-down`. `on-marked-down` and `on-marked-up` are checked and
/// then rejected as not supported yet.
/// </summary>
internal static class PassiveHealthParser
{
    public static bool IsOption(string option) => option is "observe" or "error-limit" or "on-error" or "on-marked-down" or "on-marked-up";

    /// <summary>Reads the option at <paramref name="i"/> and its value; returns false after recording an error.</summary>
    public static bool ParseOption(ConfigLine line, string server, ref int i, PassiveHealthOptions options, ConfigErrors errors)
    {
        var option = line[i];
        var value = i + 1 < line.Count ? line[i + 1] : null;
        var problem = option switch
        {
            "observe" => ParseObserve(value, options),
            "error-limit" => ParseErrorLimit(value, options),
            "on-error" => ParseOnError(value, options),
            "on-marked-down" => RejectMarkedAction(option, value, "shutdown-sessions"),
            _ => RejectMarkedAction(option, value, "shutdown-backup-sessions"),
        };
        if (problem is not null)
        {
            errors.Add(line.Location, $"'server {server}' option '{option}' {problem}");
            return false;
        }

        i++;
        options.Present = true;
        return true;
    }

    /// <summary>Reports a server whose passive health cannot act: `observe` without `check`, or `layer7` in a `mode tcp` backend.</summary>
    public static void Validate(IEnumerable<BackendConfig> backends, ConfigErrors errors)
    {
        foreach (var backend in backends)
        {
            foreach (var server in backend.Servers)
            {
                if (server.PassiveHealth is not { Mode: not ObserveMode.None } passive)
                {
                    continue;
                }

                var mode = passive.Mode == ObserveMode.Layer4 ? "layer4" : "layer7";
                if (server.Check is null)
                {
                    // HAProxy 2.6 accepts this and ignores it; Gatehouse never ignores a keyword silently.
                    errors.Add(server.Location, $"'server {server.Name}' option 'observe {mode}' needs 'check' on the same server, "
                        + "because traffic errors move the health check counter; add 'check' or remove 'observe'");
                }

                if (passive.Mode == ObserveMode.Layer7 && backend.Settings.Mode == ProxyMode.Tcp)
                {
                    errors.Add(server.Location, $"'server {server.Name}' option 'observe layer7' is only valid in 'mode http' backends, "
                        + $"and backend '{backend.Name}' is in 'mode tcp'; use 'observe layer4'");
                }
            }
        }
    }

    private static string? ParseObserve(string? value, PassiveHealthOptions options)
    {
        if (value is null || !PassiveHealthSettings.ObserveNames.TryGetValue(value, out var mode))
        {
            return $"expects one of none, layer4, layer7, got '{value ?? "nothing"}'; for example 'observe layer4'";
        }

        options.Mode = mode;
        return null;
    }

    private static string? ParseErrorLimit(string? value, PassiveHealthOptions options)
    {
        if (value is null
            || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit < 1 || limit > PassiveHealthSettings.MaxErrorLimit)
        {
            return $"expects a count of consecutive errors from 1 to {PassiveHealthSettings.MaxErrorLimit}, got '{value ?? "nothing"}'; "
                + $"for example 'error-limit {PassiveHealthSettings.DefaultErrorLimit}'";
        }

        options.ErrorLimit = limit;
        return null;
    }

    private static string? ParseOnError(string? value, PassiveHealthOptions options)
    {
        if (value is null || !PassiveHealthSettings.OnErrorNames.TryGetValue(value, out var action))
        {
            return $"expects one of {string.Join(", ", PassiveHealthSettings.OnErrorNames.Keys)}, got '{value ?? "nothing"}'"
                + Suggestions.DidYouMean(value ?? "", [.. PassiveHealthSettings.OnErrorNames.Keys]);
        }

        options.OnError = action;
        return null;
    }

    private static string RejectMarkedAction(string option, string? value, string action) => value == action
        ? $"'{action}' is not supported yet, because Gatehouse does not close a server's open connections when its state changes; remove '{option} {action}'"
        : $"expects '{action}', got '{value ?? "nothing"}'; it is not supported yet either, so remove the option";
}

/// <summary>The passive health options of one server line while it is parsed.</summary>
internal sealed class PassiveHealthOptions
{
    public ObserveMode? Mode { get; set; }

    public int? ErrorLimit { get; set; }

    public OnErrorAction? OnError { get; set; }

    /// <summary>True once the line has any passive health option.</summary>
    public bool Present { get; set; }

    /// <summary>Returns the settings, or null when the line has none of the passive health options.</summary>
    public PassiveHealthSettings? Build() => !Present
        ? null
        : new PassiveHealthSettings(
            Mode ?? ObserveMode.None,
            ErrorLimit ?? PassiveHealthSettings.DefaultErrorLimit,
            OnError ?? OnErrorAction.FailCheck);
}
