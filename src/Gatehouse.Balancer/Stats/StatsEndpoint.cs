using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Serves `stats uri`: a request whose path and query start with the URI gets the HTML page, or the CSV when
/// ";csv" follows the URI. With `stats auth`, other requests get 401 with a Basic challenge, as in HAProxy.
/// </summary>
internal static class StatsEndpoint
{
    public static bool Matches(StatsSettings settings, string target) => target.StartsWith(settings.Uri, StringComparison.Ordinal);

    public static RuleResponse Respond(StatsSettings settings, HttpRequest request, string target, RoutingState state)
    {
        if (settings.Credentials.Count > 0 && !IsAuthorized(settings, request))
        {
            var challenge = ErrorPages.For(401, "deny", "stats authentication required");
            var realm = settings.Realm.Replace("\"", "", StringComparison.Ordinal);
            return challenge with { Headers = [new("WWW-Authenticate", $"Basic realm=\"{realm}\"")] };
        }

        var csv = StatsCsv.Build(state);
        if (target.AsSpan(settings.Uri.Length).Contains(";csv", StringComparison.Ordinal))
        {
            return new RuleResponse(200, "text/plain", csv, null, "static", "stats csv") { CacheControl = "no-cache" };
        }

        var headers = settings.Refresh is { } refresh
            ? new List<KeyValuePair<string, string>> { new("Refresh", ((long)refresh.TotalSeconds).ToString(CultureInfo.InvariantCulture)) }
            : [];
        return new RuleResponse(200, "text/html", Html(csv), null, "static", "stats page") { CacheControl = "no-cache", Headers = headers };
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

    private static string Html(string csv)
    {
        var page = new StringBuilder("<html><head><title>Statistics Report</title></head><body><h1>Statistics Report</h1>\n<table border=\"1\">\n");
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cell = line.StartsWith('#') ? "th" : "td";
            page.Append("<tr>");
            foreach (var value in line.TrimStart('#', ' ').TrimEnd(',').Split(','))
            {
                page.Append('<').Append(cell).Append('>').Append(WebUtility.HtmlEncode(value)).Append("</").Append(cell).Append('>');
            }

            page.Append("</tr>\n");
        }

        return page.Append("</table></body></html>\n").ToString();
    }
}
