using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// The `stats` lines of a frontend or listen section: the page's URI prefix (HAProxy's default "/haproxy?stats"),
/// the refresh interval, the `user:password` pairs allowed in, and the Basic realm.
/// </summary>
public sealed record StatsSettings(string Uri, TimeSpan? Refresh, IReadOnlyList<string> Credentials, string Realm)
{
    public const string DefaultUri = "/haproxy?stats";

    public const string DefaultRealm = "HAProxy Statistics";

    /// <summary>The `stats admin` conditions. A request that passes `stats auth` and matches one may change server states.</summary>
    internal IReadOnlyList<Condition> AdminRules { get; init; } = [];
}

/// <summary>Parses `stats enable|uri|refresh|auth|realm|admin` lines.</summary>
internal static class StatsParser
{
    private static readonly string[] Keywords = ["enable", "uri", "refresh", "auth", "realm", "admin"];

    public static StatsSettings? Parse(ConfigLine line, StatsSettings? current, ProxySection section, ConfigErrors errors)
    {
        var settings = current ?? new StatsSettings(StatsSettings.DefaultUri, null, [], StatsSettings.DefaultRealm);
        var keyword = line.Count > 1 ? line[1] : "";
        var value = line.Count == 3 ? line[2] : null;
        switch (keyword)
        {
            case "enable" when line.Count == 2:
                return settings;
            case "uri" when value is not null && value.StartsWith('/'):
                return settings with { Uri = value };
            case "refresh" when value is not null && TimeValue.TryParse(value, out var refresh) && refresh > TimeSpan.Zero:
                return settings with { Refresh = refresh };
            case "auth" when value is not null && value.IndexOf(':', StringComparison.Ordinal) > 0:
                return settings with { Credentials = [.. settings.Credentials, value] };
            case "realm" when value is not null:
                return settings with { Realm = value };
            case "admin":
                return ParseAdmin(line, settings, section, errors);
            case "enable" or "uri" or "refresh" or "auth" or "realm":
                errors.Add(line.Location, keyword switch
                {
                    "enable" => "'stats enable' takes no arguments",
                    "uri" => "'stats uri' expects one path starting with '/', such as 'stats uri /stats'",
                    "refresh" => $"'stats refresh' expects a time above zero, such as 10s",
                    "auth" => "'stats auth' expects 'user:password'",
                    _ => "'stats realm' expects one realm; quote a realm that contains spaces",
                });
                return null;
            default:
                errors.Add(line.Location, keyword is "hide-version" or "show-legends" or "show-node" or "show-desc" or "scope" or "http-request" or "bind-process" or "show-modules"
                    ? $"'stats {keyword}' is not supported yet"
                    : $"'stats' expects one of {string.Join(", ", Keywords)}, got '{keyword}'{Suggestions.DidYouMean(keyword, Keywords)}");
                return null;
        }
    }

    private static StatsSettings? ParseAdmin(ConfigLine line, StatsSettings settings, ProxySection section, ConfigErrors errors)
    {
        // HAProxy evaluates the condition on the stats request, so it needs the ACLs of a frontend or listen section.
        if (section.Acls is not { } acls)
        {
            errors.Add(line.Location, $"'stats admin' is not allowed in a '{section.KindName}' section; put it in the frontend or listen section that serves the page");
            return null;
        }

        if (line.Count < 3 || !ConditionParser.IsConditionKeyword(line.Words[2]))
        {
            errors.Add(line.Location, "'stats admin' expects '{ if | unless } <condition>', such as 'stats admin if LOCALHOST'");
            return null;
        }

        var problems = new List<string>();
        var condition = ConditionParser.Parse([.. line.Words.Skip(2)], acls, line.Location, "stats admin", section.BaseDirectory, problems);
        foreach (var problem in problems)
        {
            errors.Add(line.Location, $"'stats admin': {problem}");
        }

        return condition is null || problems.Count > 0 ? null : settings with { AdminRules = [.. settings.AdminRules, condition] };
    }
}
