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

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Request {RequestId}: {Subject} signed in")]
    public static partial void SignedIn(ILogger logger, string requestId, string subject);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Request {RequestId}: sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Request {RequestId}: sign-in provider unavailable: {Error}")]
    public static partial void SignInProviderUnavailable(ILogger logger, string requestId, string error);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Debug, Message = "Request {RequestId}: session of {Subject} refreshed")]
    public static partial void SessionRefreshed(ILogger logger, string requestId, string subject);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Information, Message = "Request {RequestId}: session refresh for {Subject} failed: {Reason}")]
    public static partial void SessionRefreshFailed(ILogger logger, string requestId, string subject, string reason);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Warning, Message = "Session cookie keys are in memory only, so sessions end when the edge restarts; set key_directory in [sessions] to keep them")]
    public static partial void SessionKeysEphemeral(ILogger logger);

    [LoggerMessage(EventId = 2026, Level = LogLevel.Information, Message = "Session cookie keys are in {Directory}")]
    public static partial void SessionKeysPersisted(ILogger logger, string directory);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Guest route {Prefix} runs {Wasm} (compiled in {Milliseconds} ms)")]
    public static partial void GuestLoaded(ILogger logger, string prefix, string wasm, long milliseconds);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Request {RequestId}: guest of route {Prefix} failed with {Failure}: {Cause}")]
    public static partial void GuestFailed(ILogger logger, string requestId, string prefix, string failure, string cause);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Request {RequestId}: guest's balancer request failed with {Failure}: {Error}")]
    public static partial void GuestBalancerFailed(ILogger logger, string requestId, string failure, string error);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "Guest relay rejected a request from port {Port} without a live ticket")]
    public static partial void GuestRelayRejected(ILogger logger, int port);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Edge rate counters and penalty box are in Redis ({Redis})")]
    public static partial void RedisShared(ILogger logger, string redis);
}
