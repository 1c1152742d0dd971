using System.Globalization;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// The short HTML pages the balancer sends for errors it generates itself, such as a deny without a body or a
/// backend without a server. HAProxy 2.6 sends a page of the same form: an h1 with the status and a heading,
/// one sentence, Content-Type text/html and Cache-Control no-cache. The headings are HAProxy 2.6's, which differ
/// from the standard reason phrase in places, such as "504 Gateway Time-out"; the sentences are Gatehouse's own.
/// </summary>
internal static class ErrorPages
{
    public const string ContentType = "text/html";

    public const string CacheControl = "no-cache";

    private static readonly Dictionary<int, (string Heading, string Sentence)> Pages = new()
    {
        [200] = ("OK", "The proxy is ready."),
        [400] = ("Bad request", "The proxy could not parse the request."),
        [401] = ("Unauthorized", "The request needs valid credentials."),
        [403] = ("Forbidden", "The proxy's rules reject this request."),
        [404] = ("Not Found", "The proxy found nothing for this request."),
        [405] = ("Method Not Allowed", "The proxy does not accept this method here."),
        [407] = ("Unauthorized", "The request needs valid proxy credentials."),
        [408] = ("Request Time-out", "The client did not send a complete request in time."),
        [410] = ("Gone", "The requested resource is no longer available."),
        [413] = ("Payload Too Large", "The request body is larger than the proxy accepts."),
        [425] = ("Too Early", "The proxy will not handle this request before the handshake completes."),
        [429] = ("Too Many Requests", "The client sent too many requests; slow down and try again later."),
        [500] = ("Internal Server Error", "The proxy failed while handling the request."),
        [501] = ("Not Implemented", "The proxy does not support this request."),
        [502] = ("Bad Gateway", "The server sent an invalid response or none at all."),
        [503] = ("Service Unavailable", "No server is available to handle this request."),
        [504] = ("Gateway Time-out", "The server did not respond in time."),
    };

    /// <summary>The statuses with a page, for messages.</summary>
    public static string Statuses => string.Join(", ", Pages.Keys);

    /// <summary>Returns whether a built-in page exists for the status.</summary>
    public static bool Has(int status) => Pages.ContainsKey(status);

    /// <summary>
    /// Returns the page for a status. A status without a page gets the 500 page, but callers pass only statuses
    /// with pages because the parser rejects a bodiless `deny_status` without one.
    /// </summary>
    public static RuleResponse For(int status, string decision, string reason)
    {
        var code = Pages.ContainsKey(status) ? status : 500;
        var (heading, sentence) = Pages[code];
        var body = string.Create(CultureInfo.InvariantCulture, $"<html><body><h1>{code} {heading}</h1>\n{sentence}\n</body></html>\n");
        return new RuleResponse(code, ContentType, body, null, decision, reason) { CacheControl = CacheControl };
    }

    /// <summary>
    /// Returns the `errorfile` response for a status from the first scope that has one, such as the backend
    /// before the frontend, as HAProxy does; otherwise the built-in page.
    /// </summary>
    public static RuleResponse For(int status, string decision, string reason, params ProxySettings[] scopes)
    {
        var page = For(status, decision, reason);
        foreach (var scope in scopes)
        {
            if (scope.ErrorFiles.TryGetValue(status, out var file))
            {
                return page with { File = file };
            }
        }

        return page;
    }
}
