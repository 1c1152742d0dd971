using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tls;

/// <summary>TLS log events of the balancer. Event ids 2060–2069 are reserved for them within the project's 2001–2099; 2060 and 2061 are used.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 2060, Level = LogLevel.Information, Message = "TLS client {Client} rejected by frontend {Frontend}: {Reason}")]
    public static partial void ClientRejected(ILogger logger, string client, string frontend, string reason);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Warning, Message = "TLS certificate of server {Backend}/{Server} rejected: {Reason}")]
    public static partial void ServerCertificateRejected(ILogger logger, string backend, string server, string reason);
}
