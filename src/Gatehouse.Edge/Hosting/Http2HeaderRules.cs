using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Hosting;

/// <summary>
/// Completes Kestrel's check of RFC 9113 section 8.2.2: an HTTP/2 (or HTTP/3, RFC 9114 section 4.2) request with a
/// connection-specific header is malformed. Kestrel 10 rejects only Connection and a TE other than "trailers", so the
/// edge resets streams that carry Keep-Alive, Proxy-Connection, Transfer-Encoding or Upgrade.
/// </summary>
internal static class Http2HeaderRules
{
    private const int ProtocolError = 0x1;

    private static readonly string[] ConnectionSpecific =
        [HeaderNames.KeepAlive, HeaderNames.ProxyConnection, HeaderNames.TransferEncoding, HeaderNames.Upgrade];

    /// <summary>Resets the stream with PROTOCOL_ERROR and returns true when the request is malformed.</summary>
    public static bool TryRejectMalformed(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        if (!HttpProtocol.IsHttp2(protocol) && !HttpProtocol.IsHttp3(protocol))
        {
            return false;
        }

        if (!ConnectionSpecific.Any(context.Request.Headers.ContainsKey))
        {
            return false;
        }

        if (context.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(ProtocolError);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return true;
    }
}
