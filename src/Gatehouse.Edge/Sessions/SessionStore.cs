using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Sessions;

/// <summary>
/// The session and correlation cookies of one request, encrypted with Data Protection. <see cref="Capture"/>
/// runs before header policies, so an allow list without Cookie still leaves the session readable, and the
/// cookies never reach the balancer.
/// </summary>
internal sealed class SessionStore
{
    private static readonly object CapturedKey = new();

    private readonly SessionCookies _cookies;
    private readonly CookieProtector<SessionTicket> _sessions;
    private readonly CookieProtector<SignInCorrelation> _correlations;

    public SessionStore(SessionCookies cookies, IDataProtectionProvider protection, TimeProvider time)
    {
        _cookies = cookies;
        _sessions = new CookieProtector<SessionTicket>(protection, "Gatehouse.Edge.Session.v1", SessionJsonContext.Default.SessionTicket, time);
        _correlations = new CookieProtector<SignInCorrelation>(
            protection, "Gatehouse.Edge.SignInCorrelation.v1", SessionJsonContext.Default.SignInCorrelation, time);
    }

    /// <summary>Reads the raw cookie values into the request's items and removes them from its Cookie header.</summary>
    public void Capture(HttpContext context)
    {
        context.Items[CapturedKey] = (Session: _cookies.ReadSession(context), Correlation: _cookies.ReadCorrelation(context));
        _cookies.RemoveFromRequest(context.Request.Headers);
    }

    /// <summary>Returns the session, or null when the cookie is missing, malformed, tampered or expired.</summary>
    public SessionTicket? ReadSession(HttpContext context) => _sessions.Unprotect(Captured(context).Session);

    public SignInCorrelation? ReadCorrelation(HttpContext context) => _correlations.Unprotect(Captured(context).Correlation);

    public bool HasSessionCookie(HttpContext context) => Captured(context).Session is not null;

    public void WriteSession(HttpContext context, SessionTicket ticket) =>
        _cookies.WriteSession(context, _sessions.Protect(ticket), ticket.ExpiresAt);

    public void DeleteSession(HttpContext context) => _cookies.DeleteSession(context);

    public void WriteCorrelation(HttpContext context, SignInCorrelation correlation) =>
        _cookies.WriteCorrelation(context, _correlations.Protect(correlation), correlation.ExpiresAt);

    public void DeleteCorrelation(HttpContext context) => _cookies.DeleteCorrelation(context);

    private static (string? Session, string? Correlation) Captured(HttpContext context) =>
        context.Items.TryGetValue(CapturedKey, out var value) && value is ValueTuple<string?, string?> captured ? captured : (null, null);
}
