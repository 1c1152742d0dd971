using System.Security.Authentication;
using Gatehouse.Balancer.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Maps a failed TLS handshake with a server to 503, as HAProxy does for a connection it could not establish (SC--).
/// The reason the certificate was rejected is logged when the check runs, by <see cref="TlsLog.ServerCertificateRejected"/>.
/// </summary>
internal static class OriginTlsFailures
{
    public static ForwardFailure? Classify(Exception? exception)
    {
        var handshake = exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
            || exception?.InnerException is AuthenticationException;
        return handshake
            ? new ForwardFailure(StatusCodes.Status503ServiceUnavailable, "SSL handshake with server failed", ClientAborted: false)
            : null;
    }
}
