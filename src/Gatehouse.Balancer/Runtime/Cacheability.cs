using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// HAProxy 2.6's test of whether a shared cache may store a response: a status that caches store by default,
/// no Cache-Control directive forbidding it, and an explicit lifetime (Cache-Control max-age or s-maxage,
/// or Expires) or a validator (Last-Modified or ETag), because a response without either is not stored.
/// </summary>
internal static class Cacheability
{
    public static bool IsCacheable(int status, IHeaderDictionary headers)
    {
        if (status is not (200 or 203 or 204 or 206 or 300 or 301 or 404 or 405 or 410 or 414 or 501))
        {
            return false;
        }

        var hasLifetime = headers.ContainsKey("Expires");
        foreach (var line in headers.CacheControl)
        {
            var text = line ?? "";
            foreach (var range in text.AsSpan().Split(','))
            {
                var directive = text.AsSpan()[range].Trim();
                if (Forbids(directive))
                {
                    return false;
                }

                hasLifetime |= directive.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase)
                    || directive.StartsWith("s-maxage=", StringComparison.OrdinalIgnoreCase);
            }
        }

        return hasLifetime || headers.ContainsKey("Last-Modified") || headers.ContainsKey("ETag");
    }

    private static bool Forbids(ReadOnlySpan<char> directive) =>
        directive.Equals("private", StringComparison.OrdinalIgnoreCase)
        || directive.Equals("no-cache", StringComparison.OrdinalIgnoreCase)
        || directive.Equals("no-store", StringComparison.OrdinalIgnoreCase)
        || directive.Equals("max-age=0", StringComparison.OrdinalIgnoreCase)
        || directive.Equals("s-maxage=0", StringComparison.OrdinalIgnoreCase);
}
