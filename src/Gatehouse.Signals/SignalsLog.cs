using Microsoft.Extensions.Logging;

namespace Gatehouse.Signals;

/// <summary>
/// Log events of the signals project, with their stable event ids (5000–5099). Redis passwords never appear
/// in any event; endpoints, key prefixes and component names do.
/// </summary>
internal static partial class SignalsLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Redis is unreachable for {Component}; using local state until it returns")]
    public static partial void RedisLost(ILogger logger, Exception? exception, string component);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Redis is reachable again for {Component}; sharing state resumed")]
    public static partial void RedisRestored(ILogger logger, string component);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Connecting to Redis at {Endpoints}, database {Database}, key prefix {KeyPrefix}")]
    public static partial void RedisConnecting(ILogger logger, string endpoints, int database, string keyPrefix);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Dropped a feedback signal on channel {Channel}: {Reason}")]
    public static partial void SignalDropped(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Feedback signal handler failed for rule {RuleName} on table {Table}")]
    public static partial void SignalHandlerFailed(ILogger logger, Exception exception, string ruleName, string table);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Re-sent {Count} penalty box entries to Redis after it returned")]
    public static partial void PenaltyEntriesResent(ILogger logger, int count);
}
