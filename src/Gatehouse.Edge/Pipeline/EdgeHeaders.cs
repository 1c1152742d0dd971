using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Header names the edge owns. A client must never be able to set them, so every inbound copy is removed
/// before any policy reads the request.
/// </summary>
internal static class EdgeHeaders
{
    public const string RequestId = "X-Request-Id";

    private static readonly string[] SpoofableExact = ["Forwarded", "X-Real-IP", RequestId];

    private static readonly string[] SpoofablePrefixes = ["X-Gatehouse-", "X-Forwarded-"];

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

    public static bool IsSpoofable(string name)
    {
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
