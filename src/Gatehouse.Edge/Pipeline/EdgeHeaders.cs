using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Header names the edge owns. A client must never be able to set them, so every inbound copy is removed
/// before any policy reads the request.
/// </summary>
internal static class EdgeHeaders
{
    public const string RequestId = Gatehouse.Telemetry.RequestIds.HeaderName;

    // Headers that origins and frameworks commonly read as the client address or as an override of the
    // method or URL; a client must not be able to set any of them.
    private static readonly string[] SpoofableExact =
    [
        "Forwarded", "X-Real-IP", RequestId, "True-Client-IP", "CF-Connecting-IP", "X-Client-IP",
        "X-Cluster-Client-IP", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override",
        "X-HTTP-Method", "X-Method-Override",
    ];

    private static readonly string[] SpoofablePrefixes = ["X-Gatehouse-", "X-Forwarded-", "X-Original-Forwarded-"];

    /// <summary>Removes headers a client could use to impersonate the edge or forge its origin address.</summary>
    /// <returns>How many header fields were removed, for the decision record.</returns>
    public static int RemoveSpoofable(IHeaderDictionary headers)
    {
        List<string>? doomed = null;
        foreach (var (name, _) in headers)
        {
            if (IsSpoofable(name))
            {
                (doomed ??= []).Add(name);
            }
        }

        if (doomed is null)
        {
            return 0;
        }

        foreach (var name in doomed)
        {
            headers.Remove(name);
        }

        return doomed.Count;
    }

    /// <summary>Applies the configured deny and allow lists; returns how many header fields were removed.</summary>
    public static int ApplyPolicy(IHeaderDictionary headers, Configuration.HeaderPolicy policy)
    {
        if (policy.Deny.Count == 0 && policy.Allow.Count == 0)
        {
            return 0;
        }

        var doomed = headers.Keys.Where(name =>
                Configuration.HeaderPatterns.MatchesAny(policy.Deny, name)
                || (policy.Allow.Count > 0
                    && !Configuration.HeaderPatterns.MatchesAny(policy.Allow, name)
                    && !Configuration.HeaderPatterns.MatchesAny(Configuration.HeaderPolicy.Essential, name)))
            .ToList();
        foreach (var name in doomed)
        {
            headers.Remove(name);
        }

        return doomed.Count;
    }

    /// <summary>
    /// Returns true for a header the edge owns. Underscores count as hyphens, because CGI-style origins
    /// (PHP, WSGI, FastCGI) map both to the same variable, so <c>X_Forwarded_For</c> would spoof it too.
    /// </summary>
    public static bool IsSpoofable(string name)
    {
        if (name.Contains('_'))
        {
            name = name.Replace('_', '-');
        }

        foreach (var exact in SpoofableExact)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in SpoofablePrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns true when any header value contains a control character other than tab (RFC 9110 field values).</summary>
    public static bool HasControlCharacters(IHeaderDictionary headers)
    {
        foreach (var (_, values) in headers)
        {
            foreach (var value in values)
            {
                foreach (var c in value ?? string.Empty)
                {
                    if ((c < 0x20 && c != '\t') || c == 0x7f)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Reads the bearer token from <c>Authorization</c>; null when the header is absent or another scheme.</summary>
    public static string? BearerToken(IHeaderDictionary headers)
    {
        StringValues values = headers.Authorization;
        if (values.Count != 1)
        {
            return null;
        }

        var value = values[0].AsSpan().Trim();
        const string scheme = "Bearer ";
        if (value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value[scheme.Length..].Trim().ToString();
    }
}
