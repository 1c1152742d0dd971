using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// A server response held back so the request can be retried; when every retry fails too, the client
/// receives it instead of a generated error.
/// </summary>
internal sealed class HeldResponse
{
    /// <summary>Bodies up to this size are held; a larger body is sent on, so that status is not retried.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TransferEncoding, HeaderNames.ContentLength,
        HeaderNames.Upgrade, HeaderNames.ProxyAuthenticate, HeaderNames.TE, HeaderNames.Trailer, "Proxy-Connection",
    };

    private HeldResponse(int status, List<KeyValuePair<string, string[]>> headers, byte[] body)
    {
        Status = status;
        Headers = headers;
        Body = body;
    }

    public int Status { get; }

    public List<KeyValuePair<string, string[]>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>
    /// Reads the body when it fits in <see cref="MaxBodyBytes"/>. Otherwise returns null and replaces the
    /// response content with one that replays the bytes already read, so the response can still be forwarded.
    /// </summary>
    public static async Task<HeldResponse?> TryReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var source = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await source.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            var replay = new StreamContent(new PrefixedStream(buffer, source));
            foreach (var header in response.Content.Headers)
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = replay;
            return null;
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(header => !HopByHop.Contains(header.Key))
            .Select(header => new KeyValuePair<string, string[]>(header.Key, [.. header.Value]))
            .ToList();
        return new HeldResponse((int)response.StatusCode, headers, buffer[..length]);
    }

    /// <summary>Sends the held response to the client with the response rules applied and X-Request-Id set.</summary>
    public async Task WriteResponseAsync(
        HttpContext http, SampleContext sample, string requestId, IReadOnlyList<ResponseHeaderRule> backendRules, IReadOnlyList<ResponseHeaderRule> frontendRules)
    {
        http.Response.Clear();
        http.Response.StatusCode = Status;
        foreach (var (name, values) in Headers)
        {
            http.Response.Headers.Append(name, values);
        }

        sample.Captures?.CaptureResponse(http.Response.Headers);
        BalancerTransformer.ApplyResponseRules(sample, http.Response.Headers, backendRules);
        BalancerTransformer.ApplyResponseRules(sample, http.Response.Headers, frontendRules);
        AfterResponseRule.ApplyAll(sample, http.Response);
        http.Response.Headers[RequestIds.HeaderName] = requestId;

        http.Response.ContentLength = Body.Length;
        await http.Response.Body.WriteAsync(Body, http.RequestAborted);
    }
}

/// <summary>Maps a status code to its `retry-on` condition.</summary>
internal static class RetryStatuses
{
    public static bool Matches(RetryConditions conditions, int status) => status switch
    {
        401 => conditions.HasFlag(RetryConditions.Status401),
        403 => conditions.HasFlag(RetryConditions.Status403),
        404 => conditions.HasFlag(RetryConditions.Status404),
        408 => conditions.HasFlag(RetryConditions.Status408),
        425 => conditions.HasFlag(RetryConditions.Status425),
        500 => conditions.HasFlag(RetryConditions.Status500),
        501 => conditions.HasFlag(RetryConditions.Status501),
        502 => conditions.HasFlag(RetryConditions.Status502),
        503 => conditions.HasFlag(RetryConditions.Status503),
        504 => conditions.HasFlag(RetryConditions.Status504),
        _ => false,
    };
}
