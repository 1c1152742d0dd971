using System.Text;
using Gatehouse.Edge.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Computes the path the edge routes on from the request target the client sent, as [paths] configures.
/// The result is used only for decisions at the edge; forwarding keeps the client's bytes.
/// </summary>
internal static class RoutingPath
{
    /// <summary>Returns the routing path of a request.</summary>
    public static string For(HttpContext context, PathNormalization options)
    {
        var kestrelPath = context.Request.Path.Value ?? "/";
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/')
        {
            // Absolute-form and asterisk-form targets have no raw origin-form path to work from.
            return kestrelPath;
        }

        var query = rawTarget.IndexOf('?');
        var rawPath = query < 0 ? rawTarget : rawTarget[..query];

        // Fast path: a target with no escapes, no repeated slash and no dot segment routes as Kestrel's path,
        // which then equals the raw path, so the common request allocates nothing here.
        if (!rawPath.Contains('%') && !rawPath.Contains("//", StringComparison.Ordinal)
            && !rawPath.Contains("/.", StringComparison.Ordinal))
        {
            return kestrelPath;
        }

        return Normalize(rawPath, options);
    }

    /// <summary>Normalizes a raw origin-form path: decode unreserved escapes, merge slashes, then resolve dot segments.</summary>
    public static string Normalize(string rawPath, PathNormalization options)
    {
        var path = options.DecodeUnreserved ? DecodeUnreserved(rawPath) : rawPath;
        if (options.MergeSlashes)
        {
            path = MergeSlashes(path);
        }

        return options.ResolveDotSegments ? PathSafety.RemoveDotSegments(path) : path;
    }

    internal static string DecodeUnreserved(string path)
    {
        if (!path.Contains('%'))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length
                && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2])
                && (char)Convert.ToInt32(path.Substring(i + 1, 2), 16) is var decoded && IsUnreserved(decoded)
                && !CompletesEscape(builder, decoded))
            {
                builder.Append(decoded);
                i += 2;
            }
            else
            {
                builder.Append(path[i]);
            }
        }

        return builder.ToString();
    }

    internal static string MergeSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c != '/' || builder.Length == 0 || builder[^1] != '/')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // A hex digit decoded right after a literal '%', or after '%' and one hex digit, would form a new escape that
    // a second pass decodes, so "%%36%35" would route as "%65" once and as "e" twice. Such an escape stays encoded.
    private static bool CompletesEscape(StringBuilder output, char decoded) =>
        Uri.IsHexDigit(decoded)
        && ((output.Length >= 1 && output[^1] == '%') || (output.Length >= 2 && output[^2] == '%' && Uri.IsHexDigit(output[^1])));

    // RFC 3986 section 2.3.
    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
