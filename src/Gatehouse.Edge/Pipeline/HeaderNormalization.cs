using System.Collections.Frozen;
using Gatehouse.Edge.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// The configurable part of header sanitization: underscores in names, whitespace around values and
/// repeated lines of list headers. Runs before any policy reads the headers.
/// </summary>
internal static class HeaderNormalization
{
    // Headers whose grammar is a comma-separated list (RFC 9110 section 5.3 allows joining their lines).
    // Cookie and Set-Cookie are not lists and must never be joined with commas; hop-by-hop headers
    // (Connection, Transfer-Encoding, Upgrade) are left to Kestrel and the forwarder.
    private static readonly FrozenSet<string> ListHeaders = FrozenSet.ToFrozenSet(
        [
            "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Access-Control-Request-Headers",
            "Cache-Control", "Content-Encoding", "Content-Language", "If-Match", "If-None-Match", "Pragma",
            "Prefer", "TE", "Via",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns true when lines of <paramref name="name"/> may be joined into one comma-separated value.</summary>
    public static bool IsListHeader(string name) => ListHeaders.Contains(name);

    /// <summary>
    /// Applies the [headers] normalization options in place.
    /// </summary>
    /// <returns>The reason to reject the request with 400, or null when it may continue.</returns>
    public static string? Apply(IHeaderDictionary headers, HeaderPolicy policy)
    {
        List<string>? underscored = null;
        List<KeyValuePair<string, StringValues>>? rewritten = null;
        foreach (var (name, values) in headers)
        {
            if (policy.Underscores != UnderscoreHeaders.Forward && name.Contains('_'))
            {
                if (policy.Underscores == UnderscoreHeaders.Reject)
                {
                    return "underscore in a header name";
                }

                (underscored ??= []).Add(name);
                continue;
            }

            var normalized = Normalize(name, values, policy);
            if (normalized is { } changed)
            {
                (rewritten ??= []).Add(new(name, changed));
            }
        }

        if (underscored is not null)
        {
            foreach (var name in underscored)
            {
                headers.Remove(name);
            }
        }

        if (rewritten is not null)
        {
            foreach (var (name, values) in rewritten)
            {
                headers[name] = values;
            }
        }

        return null;
    }

    /// <summary>Returns the normalized values, or null when they are already normal, so the common case allocates nothing.</summary>
    private static StringValues? Normalize(string name, StringValues values, HeaderPolicy policy)
    {
        var trim = policy.TrimValues && NeedsTrim(values);
        var merge = policy.MergeDuplicates && values.Count > 1 && ListHeaders.Contains(name);
        if (!trim && !merge)
        {
            return null;
        }

        var items = values.ToArray();
        if (trim)
        {
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = items[i]?.Trim(' ', '\t');
            }
        }

        return merge ? new StringValues(string.Join(", ", items)) : new StringValues(items);
    }

    private static bool NeedsTrim(StringValues values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value) && (IsSpace(value[0]) || IsSpace(value[^1])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t';
}
