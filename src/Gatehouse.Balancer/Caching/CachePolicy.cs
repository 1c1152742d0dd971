using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Caching;

/// <summary>HAProxy 2.6's rules for which requests may use the cache and which responses it may store.</summary>
internal static class CachePolicy
{
    /// <summary>Returns the key for the request: its Host header, path and query. The method must be checked separately.</summary>
    public static string Key(HttpRequest request, string target) => string.Concat(request.Headers.Host.ToString(), target);

    /// <summary>True for a GET or HEAD without `Cache-Control: no-cache` or `Pragma: no-cache`, which ask for a fresh response.</summary>
    public static bool MayServe(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !HasDirective(request.Headers.CacheControl, "no-cache")
        && !HasDirective(request.Headers.Pragma, "no-cache");

    /// <summary>
    /// Returns how long the response may be stored, or null when it must not be: a GET without Authorization,
    /// status 200, no Vary, no Cache-Control no-store, no-cache or private, and an explicit lifetime (s-maxage,
    /// max-age or Expires) or a validator (ETag or Last-Modified), and no Set-Cookie. HAProxy 2.6 stores responses
    /// with Set-Cookie and replays the cookie to every client; Gatehouse does not, so one client's session cookie
    /// never reaches another. The lifetime is capped by the cache's max-age, which also applies when the response
    /// gives only a validator.
    /// </summary>
    public static TimeSpan? StorableFor(HttpRequest request, HttpResponse response, TimeSpan maxAge, DateTimeOffset now)
    {
        var headers = response.Headers;
        if (!HttpMethods.IsGet(request.Method) || request.Headers.ContainsKey("Authorization") || response.StatusCode != 200
            || headers.ContainsKey("Vary") || headers.ContainsKey("Set-Cookie")
            || HasDirective(headers.CacheControl, "no-store") || HasDirective(headers.CacheControl, "no-cache")
            || HasDirective(headers.CacheControl, "private"))
        {
            return null;
        }

        var lifetime = Seconds(headers.CacheControl, "s-maxage=") ?? Seconds(headers.CacheControl, "max-age=") ?? ExpiresIn(headers, now);
        if (lifetime is null && !headers.ContainsKey("ETag") && !headers.ContainsKey("Last-Modified"))
        {
            return null;
        }

        var capped = lifetime is { } given && given < maxAge ? given : maxAge;
        return capped > TimeSpan.Zero ? capped : null;
    }

    private static TimeSpan? ExpiresIn(IHeaderDictionary headers, DateTimeOffset now) =>
        DateTimeOffset.TryParse(headers.Expires.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
            ? expires - now
            : null;

    private static TimeSpan? Seconds(Microsoft.Extensions.Primitives.StringValues lines, string prefix)
    {
        foreach (var line in lines)
        {
            var text = line ?? "";
            foreach (var range in text.AsSpan().Split(','))
            {
                var directive = text.AsSpan()[range].Trim();
                if (directive.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(directive[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }

        return null;
    }

    private static bool HasDirective(Microsoft.Extensions.Primitives.StringValues lines, string name)
    {
        foreach (var line in lines)
        {
            var text = line ?? "";
            foreach (var range in text.AsSpan().Split(','))
            {
                var directive = text.AsSpan()[range].Trim();
                var equals = directive.IndexOf('=');
                if ((equals < 0 ? directive : directive[..equals]).Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
