using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Log events of `tcp-request` rules, numbered from 2081 so that the main list can grow without a clash.</summary>
internal static partial class BalancerLog
{
    [LoggerMessage(EventId = 2081, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Client} to frontend {Frontend} closed by '{Rule}'")]
    public static partial void ConnectionRejected(ILogger logger, string connectionId, string client, string frontend, string rule);

    [LoggerMessage(EventId = 2082, Level = LogLevel.Debug, Message = "Request {RequestId} to frontend {Frontend}: connection closed by '{Rule}'")]
    public static partial void ContentRejected(ILogger logger, string requestId, string frontend, string rule);
}
