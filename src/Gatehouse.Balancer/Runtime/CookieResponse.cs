using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// The response half of cookie persistence for one forwarded request. It stores the server that sent the
/// response and whether the request reached that server through a valid persistence cookie.
/// </summary>
internal sealed class CookieResponse(CookieSettings settings, ServerState server, bool direct)
{
    private const string ExpiredSuffix = "=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/";

    /// <summary>The `maxidle`/`maxlife` dates the request's cookie carried; none when it carried no valid cookie.</summary>
    public CookieDates Dates { get; init; }

    /// <summary>The current time in Unix seconds, for the dates of an inserted cookie.</summary>
    public long Now { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>
    /// Applies HAProxy's response rules to the server's Set-Cookie headers of the persistence name.
    /// Insert mode removes them unless `preserve` is set. Rewrite mode replaces their value with the server's
    /// cookie value, and prefix mode puts "VALUE~" in front of it.
    /// In insert mode the balancer then adds `Set-Cookie: NAME=VALUE; path=/` with the configured options,
    /// unless the request came through a valid cookie or the server set one under `preserve`.
    /// A server without a cookie value gets an expired cookie instead.
    /// With `nocache`, the balancer also adds `Cache-Control: private` to a cacheable response.
    /// </summary>
    public void Apply(int status, IHeaderDictionary headers)
    {
        var serverSetCookie = RewriteServerCookies(headers);
        if (settings.Mode != CookieMode.Insert || (direct && !Dates.NeedsRefresh(settings, Now)) || (settings.Preserve && serverSetCookie))
        {
            return;
        }

        headers.Append("Set-Cookie", BuildInsertedCookie());
        if (settings.NoCache && Cacheability.IsCacheable(status, headers))
        {
            headers.Append("Cache-Control", "private");
        }
    }

    private string BuildInsertedCookie()
    {
        var text = server.Config.Cookie is { } value
            ? string.Concat(settings.Name, "=", value, Dates.Suffix(settings, Now), "; path=/")
            : settings.Name + ExpiredSuffix;
        foreach (var domain in settings.Domains)
        {
            text = string.Concat(text, "; domain=", domain);
        }

        if (settings.HttpOnly)
        {
            text += "; HttpOnly";
        }

        if (settings.Secure)
        {
            text += "; Secure";
        }

        foreach (var attribute in settings.Attributes)
        {
            text = string.Concat(text, "; ", attribute);
        }

        return text;
    }

    /// <summary>Rewrites the server's own persistence cookies and returns whether it set one.</summary>
    private bool RewriteServerCookies(IHeaderDictionary headers)
    {
        var lines = headers.SetCookie;
        var found = false;
        string?[]? rewritten = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i] ?? "";
            var equals = line.IndexOf('=');
            if (equals < 0 || !line.AsSpan(0, equals).Trim().SequenceEqual(settings.Name))
            {
                continue;
            }

            found = true;
            rewritten ??= lines.ToArray();
            rewritten[i] = RewriteServerCookie(line, equals);
        }

        if (rewritten is not null)
        {
            var kept = new List<string>(rewritten.Length);
            foreach (var line in rewritten)
            {
                if (line is not null)
                {
                    kept.Add(line);
                }
            }

            headers.SetCookie = new StringValues([.. kept]);
            if (kept.Count == 0)
            {
                headers.Remove("Set-Cookie");
            }
        }

        return found;
    }

    private string? RewriteServerCookie(string line, int equals)
    {
        var attributes = line.IndexOf(';', equals);
        var valueEnd = attributes < 0 ? line.Length : attributes;
        if (settings.Mode == CookieMode.Insert)
        {
            return settings.Preserve ? line : null;
        }

        if (server.Config.Cookie is not { } cookie)
        {
            return line;
        }

        return settings.Mode == CookieMode.Rewrite
            ? string.Concat(line.AsSpan(0, equals + 1), cookie, line.AsSpan(valueEnd))
            : string.Concat(line.AsSpan(0, equals + 1), cookie + CookiePersistence.PrefixDelimiter, line.AsSpan(equals + 1));
    }

}
