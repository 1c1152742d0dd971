using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Feedback;

/// <summary>Log events of the feedback loop, numbered 2050 to 2069 within the edge's event ids.</summary>
internal static partial class FeedbackLog
{
    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning, Message = "Feedback rule {Rule} put {Key} in the penalty box for {Ttl}: {Reason} (value {Value})")]
    public static partial void KeyBoxed(ILogger logger, string rule, string key, TimeSpan ttl, string reason, long value);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "Feedback signal for rule {Rule} from table {Table} dropped: edge.toml has no [[feedback]] rule of that name")]
    public static partial void UnknownRule(ILogger logger, string rule, string table);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "Feedback rule {Rule} polls table {Table} at {RuntimeApi} every {Interval}")]
    public static partial void PollStarted(ILogger logger, string rule, string table, string runtimeApi, TimeSpan interval);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: polling {RuntimeApi} failed, retrying every {Interval}: {Error}")]
    public static partial void PollFailed(ILogger logger, string rule, string runtimeApi, TimeSpan interval, string error);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Information, Message = "Feedback rule {Rule}: polling {RuntimeApi} works again")]
    public static partial void PollRecovered(ILogger logger, string rule, string runtimeApi);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: could not publish the signal for table {Table}; edges on the bus miss this match")]
    public static partial void PublishFailed(ILogger logger, string rule, string table);

    [LoggerMessage(EventId = 2056, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: key from table {Table} rejected by the penalty box: {Error}")]
    public static partial void KeyRejected(ILogger logger, string rule, string table, string error);

    [LoggerMessage(EventId = 2057, Level = LogLevel.Warning, Message = "Feedback rule {Rule}: the balancer has no stick table {Table} storing {Counter}, so nothing is pushed for this rule")]
    public static partial void TableNotWatched(ILogger logger, string rule, string table, string counter);

    [LoggerMessage(EventId = 2058, Level = LogLevel.Warning, Message = "Subscribing to feedback signals in Redis failed {Attempts} times; this edge applies only signals from this process until it restarts")]
    public static partial void SignalBusLocal(ILogger logger, Exception exception, int attempts);
}
