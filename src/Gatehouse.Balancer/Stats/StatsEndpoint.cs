using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Serves `stats uri`: a request whose path and query start with the URI gets the HTML page, or the CSV when
/// ";csv" follows the URI. With `stats auth`, other requests get 401 with a Basic challenge, as in HAProxy.
/// A POST goes to the `stats admin` form handler, which refuses it with ";st=DENY" unless an admin condition holds.
/// </summary>
internal static class StatsEndpoint
{
    public static bool Matches(StatsSettings settings, string target) => target.StartsWith(settings.Uri, StringComparison.Ordinal);

    public static async Task<RuleResponse> RespondAsync(StatsSettings settings, HttpRequest request, string target, RoutingState state, SampleContext sample)
    {
        if (settings.Credentials.Count > 0 && !IsAuthorized(settings, request))
        {
            var challenge = ErrorPages.For(401, "deny", "stats authentication required");
            var realm = settings.Realm.Replace("\"", "", StringComparison.Ordinal);
            return challenge with { Headers = [new("WWW-Authenticate", $"Basic realm=\"{realm}\"")] };
        }

        // As in HAProxy, the admin conditions run only once the credentials passed.
        var admin = settings.AdminRules.Any(rule => rule.Evaluate(sample));
        if (HttpMethods.IsPost(request.Method))
        {
            return admin ? await StatsAdmin.ApplyAsync(settings, request, target, state) : StatsAdmin.Deny(settings, target);
        }

        var csv = StatsCsv.Build(state);
        if (target.AsSpan(settings.Uri.Length).Contains(";csv", StringComparison.Ordinal))
        {
            return new RuleResponse(200, "text/plain", csv, null, "static", "stats csv") { CacheControl = "no-cache" };
        }

        var headers = settings.Refresh is { } refresh
            ? new List<KeyValuePair<string, string>> { new("Refresh", ((long)refresh.TotalSeconds).ToString(CultureInfo.InvariantCulture)) }
            : [];
        return new RuleResponse(200, "text/html", StatsHtml.Build(csv, settings, target, admin ? state : null), null, "static", "stats page") { CacheControl = "no-cache", Headers = headers };
    }

    // Every configured pair is compared in full, in constant time, so the time taken does not reveal a partial match.
    private static bool IsAuthorized(StatsSettings settings, HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var authorized = false;
        foreach (var credential in settings.Credentials)
        {
            authorized |= CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(credential));
        }

        return authorized;
    }
}
