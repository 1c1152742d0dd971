using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Edge.Sessions;

/// <summary>
/// Reads, writes and removes the session and correlation cookies. A session cookie longer than a browser
/// accepts is split into numbered chunks by ASP.NET Core's <see cref="ChunkingCookieManager"/>.
/// </summary>
internal sealed class SessionCookies
{
    private readonly ChunkingCookieManager _chunks = new();
    private readonly string _sessionName;
    private readonly string _correlationName;
    private readonly string _callbackPath;

    public SessionCookies(string sessionName, string callbackPath)
    {
        _sessionName = sessionName;
        _correlationName = sessionName + "_signin";
        _callbackPath = callbackPath;
    }

    public string SessionName => _sessionName;

    public string? ReadSession(HttpContext context) => _chunks.GetRequestCookie(context, _sessionName);

    public string? ReadCorrelation(HttpContext context) => context.Request.Cookies[_correlationName];

    public void WriteSession(HttpContext context, string value, DateTimeOffset expires) =>
        _chunks.AppendResponseCookie(context, _sessionName, value, Options(context, "/", expires));

    public void DeleteSession(HttpContext context) =>
        _chunks.DeleteCookie(context, _sessionName, Options(context, "/", expires: null));

    // The correlation cookie goes only to the callback path, so it is not sent with every request.
    public void WriteCorrelation(HttpContext context, string value, DateTimeOffset expires) =>
        context.Response.Cookies.Append(_correlationName, value, Options(context, _callbackPath, expires));

    public void DeleteCorrelation(HttpContext context) =>
        context.Response.Cookies.Delete(_correlationName, Options(context, _callbackPath, expires: null));

    /// <summary>
    /// Removes every cookie whose name starts with the session cookie name from the Cookie header, so
    /// neither the session nor its chunks nor the correlation cookie reach the balancer.
    /// </summary>
    public void RemoveFromRequest(IHeaderDictionary headers)
    {
        var values = headers.Cookie;
        if (values.Count == 0)
        {
            return;
        }

        var kept = new List<string>();
        var removed = false;
        foreach (var value in values)
        {
            foreach (var pair in (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = pair.Split('=', 2)[0].Trim();
                if (name.StartsWith(_sessionName, StringComparison.Ordinal))
                {
                    removed = true;
                    continue;
                }

                kept.Add(pair);
            }
        }

        if (!removed)
        {
            return;
        }

        if (kept.Count == 0)
        {
            headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Cookie);
        }
        else
        {
            headers.Cookie = new StringValues(string.Join("; ", kept));
        }
    }

    private static CookieOptions Options(HttpContext context, string path, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = path,
        Expires = expires,
        IsEssential = true,
    };
}
