using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Trust.Framing;

/// <summary>Why a request's body framing was rejected, and the status of the response (400, or 413 for a body over the limit).</summary>
public sealed record FramingError(int Status, string Reason);

/// <summary>
/// Rejects HTTP/1 requests whose body framing two parsers could read differently, the root of request
/// smuggling. Both tiers run these checks before any policy, so a rejected request reaches no origin.
/// </summary>
/// <remarks>
/// Kestrel already rejects two different Content-Length values, a final coding other than chunked, bad chunk
/// sizes and control characters in a head. It accepts what RFC 9112 leaves to the recipient: Content-Length
/// next to Transfer-Encoding (it ignores the length), codings in any letter case and a repeated chunked
/// coding. An origin or another proxy could frame such a request differently, so it is rejected.
/// </remarks>
public static class RequestFraming
{
    /// <summary>How much of a chunked body is read before forwarding, so broken chunk framing is rejected while nothing has been sent on.</summary>
    public const int ReadAheadBytes = 64 * 1024;

    private const string MovedContentLength = "X-Content-Length";

    /// <summary>
    /// Runs every check before any policy reads the request: the head's framing, a declared Content-Length over
    /// the server's body limit (413 before anything is forwarded) and the chunked read-ahead.
    /// </summary>
    public static async Task<FramingError?> CheckAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CheckHead(context.Request) is { } ambiguous)
        {
            return new FramingError(StatusCodes.Status400BadRequest, ambiguous);
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            return new FramingError(StatusCodes.Status413PayloadTooLarge, "request body too large");
        }

        return await ReadAheadAsync(context.Request, context.RequestAborted);
    }

    /// <summary>Returns why the head frames the body ambiguously, or null when it has one reading.</summary>
    public static string? CheckHead(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpProtocol.IsHttp11(request.Protocol) && !HttpProtocol.IsHttp10(request.Protocol))
        {
            // HTTP/2 and HTTP/3 frame bodies themselves and forbid Transfer-Encoding; Kestrel enforces both.
            return null;
        }

        var headers = request.Headers;
        var codings = headers.TransferEncoding;
        if (codings.Count > 0)
        {
            if (HttpProtocol.IsHttp10(request.Protocol))
            {
                return "Transfer-Encoding in an HTTP/1.0 request";
            }

            // Kestrel moves a Content-Length that arrived next to Transfer-Encoding into X-Content-Length.
            if (headers[HeaderNames.ContentLength].Count == 0 && headers[MovedContentLength].Count == 0)
            {
                return codings.Count == 1 && string.Equals(codings[0], "chunked", StringComparison.Ordinal)
                    ? null
                    : "Transfer-Encoding other than exactly \"chunked\"";
            }

            return "both Transfer-Encoding and Content-Length";
        }

        // Kestrel already rejects a repeated or non-numeric length; this keeps the check whole without it.
        var lengths = headers[HeaderNames.ContentLength];
        return lengths.Count == 0 || IsDecimalLength(lengths) ? null : "Content-Length other than one decimal number";
    }

    private static bool IsDecimalLength(Microsoft.Extensions.Primitives.StringValues lengths) =>
        lengths.Count == 1 && lengths[0] is { Length: > 0 and <= 19 } text && text.All(char.IsAsciiDigit)
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Reads up to <see cref="ReadAheadBytes"/> of a chunked body and puts the bytes back in front of the rest.
    /// Returns why the chunk framing is broken when it breaks within that span, otherwise null. Framing that
    /// breaks later aborts the forwarded request, so an origin receives a cut body, never a second request.
    /// </summary>
    public static async Task<FramingError?> ReadAheadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        var buffer = new byte[ReadAheadBytes];
        var filled = 0;
        try
        {
            int read;
            while (filled < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new FramingError(exception.StatusCode, "request body too large");
        }
        catch (BadHttpRequestException exception)
        {
            return new FramingError(StatusCodes.Status400BadRequest, "malformed chunked body: " + exception.Message);
        }
        catch (IOException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Kestrel reports some chunk errors, such as a size that overflows, as an IOException.
            return new FramingError(StatusCodes.Status400BadRequest, "malformed chunked body: " + exception.Message);
        }

        request.Body = filled < buffer.Length
            ? new MemoryStream(buffer, 0, filled, writable: false)
            : new PrefixedStream(buffer, request.Body);
        return null;
    }

    /// <summary>
    /// Makes Kestrel reject a request line, header or chunk line that ends in LF without CR. RFC 9112 lets a
    /// recipient accept a bare LF, but a proxy that accepts it frames requests differently from one that does
    /// not. The switch is process-wide and read when a server starts, so each tier sets it before building.
    /// </summary>
    public static void RejectBareLineFeeds() =>
        AppContext.SetSwitch("Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators", true);

    /// <summary>Marks the response to close the connection: after a framing error the next request's first byte is unknown.</summary>
    public static void CloseAfterResponse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.Connection = "close";
    }
}
