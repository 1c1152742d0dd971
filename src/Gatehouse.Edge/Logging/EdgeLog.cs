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

    // Feedback loop events use ids 2050 to 2069.
    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning, Message = "Feedback rule {Rule} put {Key} in the penalty box for {Ttl}: {Reason} (value {Value})")]
    public static partial void FeedbackKeyBoxed(ILogger logger, string rule, string key, TimeSpan ttl, string reason, long value);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "Feedback signal for rule {Rule} from table {Table} dropped: edge.toml has no [[feedback]] rule of that name")]
    public static partial void FeedbackRuleUnknown(ILogger logger, string rule, string table);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "Feedback rule {Rule} polls table {Table} at {RuntimeApi} every {Interval}")]
    public static partial void FeedbackPollStarted(ILogger logger, string rule, string table, string runtimeApi, TimeSpan interval);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: polling {RuntimeApi} failed, retrying every {Interval}: {Error}")]
    public static partial void FeedbackPollFailed(ILogger logger, string rule, string runtimeApi, TimeSpan interval, string error);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Information, Message = "Feedback rule {Rule}: polling {RuntimeApi} works again")]
    public static partial void FeedbackPollRecovered(ILogger logger, string rule, string runtimeApi);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: publishing the signal for table {Table} failed, so edges on the bus miss this match")]
    public static partial void FeedbackPublishFailed(ILogger logger, string rule, string table);

    [LoggerMessage(EventId = 2056, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: key from table {Table} rejected by the penalty box: {Error}")]
    public static partial void FeedbackKeyRejected(ILogger logger, string rule, string table, string error);

    [LoggerMessage(EventId = 2057, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: the balancer has no stick table {Table} storing {Counter}, so nothing is pushed for this rule")]
    public static partial void FeedbackTableNotWatched(ILogger logger, string rule, string table, string counter);

    [LoggerMessage(EventId = 2058, Level = LogLevel.Warning, Message = "Subscribing to feedback signals in Redis failed {Attempts} times, so this edge applies only signals from this process until it restarts")]
    public static partial void FeedbackSignalsLocalOnly(ILogger logger, Exception exception, int attempts);

    [LoggerMessage(EventId = 2059, Level = LogLevel.Warning, Message = "Feedback rule {Rule} limits {Key} to {Limit} for {Ttl}: {Reason} (value {Value})")]
    public static partial void FeedbackKeyLimited(ILogger logger, string rule, string key, string limit, TimeSpan ttl, string reason, long value);
}
