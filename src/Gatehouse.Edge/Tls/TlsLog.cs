using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tls;

/// <summary>Log events of the edge's TLS listeners and balancer connections, ids 2100 to 2119 of the edge's 2000 range.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "TLS certificate {Path} loaded: {Subject}, valid until {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but was not loaded, new handshakes keep the previous certificate: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "TLS listener on {Address} serves {Count} certificate(s), default {Subject}")]
    public static partial void ListenerStarted(ILogger logger, string address, int count, string subject);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Plain listener on {Address} redirects to https with 308")]
    public static partial void RedirectListenerStarted(ILogger logger, string address);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Edge connects to the balancer over TLS: CA {Ca}, client certificate {ClientCertificate}, HTTP/2 only {Http2}")]
    public static partial void BalancerTls(ILogger logger, string ca, string clientCertificate, bool http2);
}
