using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Logging;

/// <summary>Access log events. Event ids 2060–2069 of the balancer's 2001–2099 range belong to them; keep them stable.</summary>
internal static partial class AccessLogEvents
{
    [LoggerMessage(EventId = 2070, Level = LogLevel.Warning, Message = "Access log line to {Target} not sent: {Error}")]
    public static partial void SendFailed(ILogger logger, string target, string error);

    [LoggerMessage(EventId = 2071, Level = LogLevel.Warning, Message = "Dropped {Count} access log lines ({Total} since start) because the queue was full or sending failed")]
    public static partial void LinesDropped(ILogger logger, long count, long total);
}
