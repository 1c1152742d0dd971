using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Peers;

/// <summary>Log events of stick table sharing, with event ids 2095–2097 of the balancer's range.</summary>
internal static partial class PeersLog
{
    [LoggerMessage(EventId = 2095, Level = LogLevel.Information, Message = "Sharing stick tables {Tables} of peers section {Peers} through Redis at {Endpoints} as node {NodeId}")]
    public static partial void Sharing(ILogger logger, string tables, string peers, string endpoints, string nodeId);

    [LoggerMessage(EventId = 2096, Level = LogLevel.Warning, Message = "Redis is unreachable for peers section {Peers}; stick tables use this node's own counts until it returns")]
    public static partial void RedisLost(ILogger logger, Exception? exception, string peers);

    [LoggerMessage(EventId = 2097, Level = LogLevel.Information, Message = "Redis is reachable again for peers section {Peers}; stick table sharing resumed")]
    public static partial void RedisRestored(ILogger logger, string peers);
}
