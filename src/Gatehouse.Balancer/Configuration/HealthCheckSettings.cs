namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// A server's `check` options. A server is UP while its health is at least <see cref="Rise"/>; health
/// runs from 0 to rise + fall - 1, so a healthy server goes DOWN after <see cref="Fall"/> failed checks
/// in a row and a DOWN server comes UP after <see cref="Rise"/> passed checks in a row.
/// </summary>
public sealed record ServerCheckSettings(TimeSpan Interval, TimeSpan FastInterval, TimeSpan DownInterval, int Rise, int Fall)
{
    /// <summary>HAProxy's defaults: inter 2s, rise 2, fall 3.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    public const int DefaultRise = 2;

    public const int DefaultFall = 3;
}

/// <summary>The request of `option httpchk [METHOD] [URI] [VERSION]`, amended by `http-check send`.</summary>
public sealed record HttpCheckRequest(string Method, string Uri, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>HAProxy's default check request: OPTIONS / HTTP/1.0.</summary>
    public static readonly HttpCheckRequest Default = new("OPTIONS", "/", "HTTP/1.0", []);
}

/// <summary>`http-check send`: the parts it sets replace those of `option httpchk`, and its headers are added.</summary>
internal sealed record HttpCheckSend(string? Method, string? Uri, string? Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpCheckRequest ApplyTo(HttpCheckRequest request) => new(
        Method ?? request.Method, Uri ?? request.Uri, Version ?? request.Version, [.. request.Headers, .. Headers]);
}

/// <summary>What `http-check expect` tests.</summary>
public enum HttpCheckExpectKind
{
    /// <summary>The status code is in a list of codes or ranges.</summary>
    Status,

    /// <summary>The status code, as text, matches a regular expression.</summary>
    StatusRegex,

    /// <summary>The response body contains a string.</summary>
    BodyString,
}

/// <summary>`http-check expect [!] status CODES | rstatus REGEX | string TEXT`; with none, any 2xx or 3xx status passes.</summary>
public sealed record HttpCheckExpect(HttpCheckExpectKind Kind, string Pattern, bool Negate, ConfigLocation Location);

/// <summary>The failures `retry-on` retries.</summary>
[Flags]
public enum RetryConditions
{
    None = 0,

    /// <summary>The connection to the server failed or timed out, so the request was not sent.</summary>
    ConnectionFailure = 1,

    /// <summary>The server closed the connection without a response.</summary>
    EmptyResponse = 2,

    /// <summary>The server sent something that is not an HTTP response.</summary>
    JunkResponse = 4,

    /// <summary>The server sent no response within `timeout server`.</summary>
    ResponseTimeout = 8,

    Status401 = 1 << 8,
    Status403 = 1 << 9,
    Status404 = 1 << 10,
    Status408 = 1 << 11,
    Status425 = 1 << 12,
    Status500 = 1 << 13,
    Status501 = 1 << 14,
    Status502 = 1 << 15,
    Status503 = 1 << 16,
    Status504 = 1 << 17,

    /// <summary>HAProxy's `all-retryable-errors`.</summary>
    AllRetryableErrors = ConnectionFailure | EmptyResponse | JunkResponse | ResponseTimeout | Status500 | Status502 | Status503 | Status504,
}
