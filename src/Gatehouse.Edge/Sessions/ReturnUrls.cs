namespace Gatehouse.Edge.Sessions;

/// <summary>Where the browser goes after sign-in: only a path on this origin, so sign-in cannot redirect elsewhere.</summary>
internal static class ReturnUrls
{
    /// <summary>Returns <paramref name="url"/> when it is a same-origin relative path, else "/".</summary>
    public static string Sanitize(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return "/";
        }

        // "//host" and "/\host" are protocol-relative to browsers, and control characters or spaces could split
        // or rewrite the Location header.
        if (url.Length > 1 && url[1] is '/' or '\\')
        {
            return "/";
        }

        foreach (var c in url)
        {
            if (c <= ' ' || c == '\\' || c > '~')
            {
                return "/";
            }
        }

        return url.Length <= 2048 ? url : "/";
    }
}
