using System.Net;
using Gatehouse.Trust.Assertions;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// The request state that sample fetches read: the HTTP request, the verified edge assertion, and the
/// values that http-request rules can change (source address, path).
/// </summary>
internal sealed class SampleContext
{
    public SampleContext(HttpContext http, string rawTarget)
    {
        Http = http;
        RequestTarget.Split(rawTarget, out var path, out var query);
        Path = path;
        Query = query;
        Source = http.Connection.RemoteIpAddress;
    }

    public HttpContext Http { get; }

    /// <summary>The path as received, still percent-encoded; changed by `http-request set-path`.</summary>
    public string Path { get; set; }

    /// <summary>The query string without '?', or null when the request target has none.</summary>
    public string? Query { get; set; }

    /// <summary>The client address for `src`; starts as the peer address and changes with `http-request set-src`.</summary>
    public IPAddress? Source { get; set; }

    /// <summary>The verified edge assertion, or null when none was presented or it failed verification.</summary>
    public EdgeAssertion? Assertion { get; set; }

    /// <summary>The frontend's `capture` values for this request, or null when the frontend captures nothing.</summary>
    public HeaderCaptures? Captures { get; set; }

    /// <summary>`http-after-response` rules of the frontend, then of the backend once one is chosen; run backend first.</summary>
    public List<Rules.AfterResponseRule> FrontendAfterRules { get; set; } = NoRules;

    /// <summary>The chosen backend's `http-after-response` rules.</summary>
    public List<Rules.AfterResponseRule> BackendAfterRules { get; set; } = NoRules;

    private static readonly List<Rules.AfterResponseRule> NoRules = [];

    /// <summary>The path and query as they are sent to the server.</summary>
    public string Target => Query is null ? Path : string.Concat(Path, "?", Query);
}

/// <summary>Splits an HTTP request target into its raw path and query.</summary>
internal static class RequestTarget
{
    public static void Split(string rawTarget, out string path, out string? query)
    {
        var target = StripAuthority(rawTarget);
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        path = mark < 0 ? target : target[..mark];
        query = mark < 0 ? null : target[(mark + 1)..];
    }

    // An absolute-form target (http://host/path) carries the authority; fetches see only the path.
    private static string StripAuthority(string target)
    {
        if (target.StartsWith('/'))
        {
            return target;
        }

        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return target;
        }

        var slash = target.IndexOf('/', scheme + 3);
        return slash < 0 ? "/" : target[slash..];
    }
}
