using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>Log events of Gatehouse.Telemetry; the event ids are stable and unique in this project.</summary>
internal static partial class DecisionLogEvents
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Tier} decision {RequestId} {Record}")]
    public static partial void Decision(ILogger logger, string tier, string requestId, string record);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Decision writer {Writer} queue full: {Dropped} records dropped since the last report, {Total} in all")]
    public static partial void Dropped(ILogger logger, string writer, long dropped, long total);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Decision writer {Writer} failed: {Failed} records lost since the last report, {Total} in all")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string writer, long failed, long total);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Decision file {Path} sealed with {Count} records and renamed to {RotatedPath}")]
    public static partial void FileRotated(ILogger logger, string path, long count, string rotatedPath);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Decision writer {Writer} did not finish within {Timeout} at shutdown; its remaining records are lost")]
    public static partial void ShutdownTimedOut(ILogger logger, string writer, TimeSpan timeout);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Deleted old decision file {Path} to keep {Keep} rotated files")]
    public static partial void FileDeleted(ILogger logger, string path, int keep);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Decision writer {Writer} failed to flush: {Failed} failed flushes since the last report, {Total} in all")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string writer, long failed, long total);
}
