using System.IO.Compression;
using Gatehouse.Balancer.Configuration;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Compresses one forwarded response with the coding chosen from the request's Accept-Encoding, under HAProxy
/// 2.6's conditions. <see cref="TryStart"/> swaps the response body for a compressing stream and
/// <see cref="FinishAsync"/> flushes it and puts the original back.
/// </summary>
internal sealed class ResponseCompression
{
    private readonly CompressionAlgorithm _algorithm;
    private readonly IReadOnlyList<string> _types;
    private Stream? _original;
    private Stream? _compressor;

    private ResponseCompression(CompressionAlgorithm algorithm, IReadOnlyList<string> types)
    {
        _algorithm = algorithm;
        _types = types;
    }

    /// <summary>
    /// Chooses the coding for a request: the first Accept-Encoding value with a non-zero q that a `compression algo`
    /// names (`*` takes the first configured one). The backend's algorithms and types win over the frontend's.
    /// With `offload`, Accept-Encoding is removed before forwarding once a coding is chosen. Returns null when
    /// the response will not be compressed.
    /// </summary>
    public static ResponseCompression? ForRequest(ProxySettings frontend, ProxySettings backend, HttpRequest request)
    {
        var algorithms = backend.Compression is { Algorithms.Count: > 0 } own ? own.Algorithms : frontend.Compression?.Algorithms;
        if (algorithms is null || algorithms.Count == 0 || HttpMethods.IsHead(request.Method) || IsOldMozilla(request))
        {
            return null;
        }

        if (AcceptEncoding.Choose(request.Headers.AcceptEncoding, algorithms) is not { } chosen)
        {
            return null;
        }

        if (backend.Compression?.Offload == true || frontend.Compression?.Offload == true)
        {
            request.Headers.Remove("Accept-Encoding");
        }

        var types = backend.Compression is { Types.Count: > 0 } backendTypes ? backendTypes.Types : frontend.Compression?.Types ?? [];
        return chosen == CompressionAlgorithm.Identity ? null : new ResponseCompression(chosen, types);
    }

    // HAProxy does not compress for Mozilla/4 agents other than MSIE, whose gzip support was broken.
    // NOTE: HAProxy also excludes MSIE 6 before XP SP2; Gatehouse treats every MSIE as capable.
    private static bool IsOldMozilla(HttpRequest request)
    {
        var agent = request.Headers.UserAgent.ToString();
        return agent.StartsWith("Mozilla/4", StringComparison.Ordinal) && !agent.Contains("MSIE", StringComparison.Ordinal);
    }

    /// <summary>Starts compressing when the response qualifies; call once its status and headers are copied.</summary>
    public bool TryStart(HttpContext http, HttpResponseMessage proxyResponse)
    {
        var response = http.Response;
        var headers = response.Headers;
        var framed = proxyResponse.Content.Headers.ContentLength is not null || proxyResponse.Headers.TransferEncodingChunked == true;
        if (response.StatusCode is < 200 or > 203 || !framed || headers.ContainsKey("Content-Encoding")
            || HasNoTransform(headers) || !TypeMatches(headers.ContentType.ToString()) || !TryWeakenETag(headers))
        {
            return false;
        }

        response.ContentLength = null;
        headers.ContentEncoding = _algorithm == CompressionAlgorithm.Gzip ? "gzip" : "deflate";
        headers.Append("Vary", "Accept-Encoding");
        _original = response.Body;
        _compressor = _algorithm switch
        {
            CompressionAlgorithm.Gzip => new GZipStream(_original, CompressionLevel.Fastest, leaveOpen: true),
            CompressionAlgorithm.Deflate => new ZLibStream(_original, CompressionLevel.Fastest, leaveOpen: true),
            _ => new DeflateStream(_original, CompressionLevel.Fastest, leaveOpen: true),
        };
        response.Body = _compressor;
        return true;
    }

    /// <summary>Writes the end of the compressed stream and restores the response body; does nothing when not started.</summary>
    public async ValueTask FinishAsync(HttpContext http)
    {
        if (_compressor is null)
        {
            return;
        }

        http.Response.Body = _original!;
        await _compressor.DisposeAsync();
        _compressor = null;
    }

    private bool TypeMatches(string contentType)
    {
        if (contentType.StartsWith("multipart", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_types.Count == 0)
        {
            return true;
        }

        foreach (var type in _types)
        {
            if (contentType.StartsWith(type, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNoTransform(IHeaderDictionary headers)
    {
        foreach (var line in headers.CacheControl)
        {
            if (line is not null && line.Contains("no-transform", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // A compressed body is no longer byte-identical, so a strong ETag becomes weak; several ETags, or one that is
    // not a quoted string, stop compression as in HAProxy.
    private static bool TryWeakenETag(IHeaderDictionary headers)
    {
        var tags = headers.ETag;
        if (tags.Count == 0)
        {
            return true;
        }

        var tag = tags[0] ?? "";
        if (tags.Count > 1 || !(tag.StartsWith('"') || tag.StartsWith("W/\"", StringComparison.Ordinal)) || !tag.EndsWith('"') || tag.Length < 2)
        {
            return false;
        }

        if (tag.StartsWith('"'))
        {
            headers.ETag = "W/" + tag;
        }

        return true;
    }
}
