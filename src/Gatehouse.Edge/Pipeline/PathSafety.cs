using System.Text;

namespace Gatehouse.Edge.Pipeline;

/// <summary>
/// Finds request targets that an origin could read as a different path than the edge routes on.
/// Kestrel keeps <c>%2F</c> encoded when it normalizes, so <c>/api/public/..%2f..%2fadmin</c> routes as
/// public while an origin that decodes <c>%2F</c> or treats <c>\</c> as a separator would resolve <c>/admin</c>.
/// </summary>
internal static class PathSafety
{
    /// <summary>
    /// Returns the path as a lenient origin would see it: every percent escape decoded (once), backslashes
    /// read as slashes, and dot segments removed. Returns null when the raw path has nothing to decode.
    /// </summary>
    public static string? LenientForm(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/')
        {
            return null;
        }

        var query = rawTarget.IndexOf('?');
        var rawPath = query < 0 ? rawTarget : rawTarget[..query];
        if (!rawPath.Contains('%') && !rawPath.Contains('\\'))
        {
            return null;
        }

        var decoded = PercentDecode(rawPath).Replace('\\', '/');
        return RemoveDotSegments(decoded);
    }

    private static string PercentDecode(string path)
    {
        var bytes = new List<byte>(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(path.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(path[i].ToString()));
            }
        }

        // Invalid UTF-8 decodes to U+FFFD, which is enough to compare routes.
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Removes "." and ".." segments as RFC 3986 section 5.2.4 describes.</summary>
    internal static string RemoveDotSegments(string path)
    {
        var output = new List<string>();
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == ".")
            {
                if (last)
                {
                    output.Add(string.Empty);
                }
            }
            else if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (last)
                {
                    output.Add(string.Empty);
                }
            }
            else
            {
                output.Add(segment);
            }
        }

        return "/" + string.Join('/', output);
    }
}
