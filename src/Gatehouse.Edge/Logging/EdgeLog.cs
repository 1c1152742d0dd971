using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Logging;

/// <summary>Every edge log event, with stable ids in the 2000 range.</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Edge listening on {Address}, forwarding to balancer {Balancer}")]
    public static partial void Started(ILogger logger, string address, Uri balancer);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Edge stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Request {RequestId}: balancer failed with {Failure}: {Error}")]
    public static partial void BalancerFailed(ILogger logger, string requestId, string failure, string error);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Request {RequestId}: {Reason}: {Error}")]
    public static partial void ClientBodyRejected(ILogger logger, string requestId, string reason, string error);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Request {RequestId}: client aborted while forwarding")]
    public static partial void ClientAborted(ILogger logger, string requestId);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Request {RequestId}: unexpected edge error")]
    public static partial void Unexpected(ILogger logger, Exception exception, string requestId);
}
