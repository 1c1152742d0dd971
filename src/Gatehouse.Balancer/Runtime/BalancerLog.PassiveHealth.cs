using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Passive health events, worded like HAProxy's "Health analyze" messages.</summary>
internal static partial class BalancerLog
{
    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Server {Backend}/{Server} is DOWN, reason: Health analyze, info: \"Detected {Errors} consecutive errors, last one was: {Last}\", on-error {Action}. {ActiveLeft} active and {BackupLeft} backup servers left. {Queued} requests in queue")]
    public static partial void ServerDownPassive(ILogger logger, string backend, string server, int errors, string last, string action, int activeLeft, int backupLeft, int queued);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Information, Message = "Server {Backend}/{Server}: detected {Errors} consecutive errors, last one was: {Last}; applied on-error {Action}, check health is now {Health}")]
    public static partial void PassiveHealthAction(ILogger logger, string backend, string server, int errors, string last, string action, int health);
}
