using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Balancer log events. Event ids 2001–2099 belong to this project; keep them stable.</summary>
internal static partial class BalancerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Frontend {Frontend} listening on {Address}")]
    public static partial void Listening(ILogger logger, string frontend, Uri address);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Request {RequestId} rejected by frontend {Frontend}: {Reason}")]
    public static partial void AssertionRejected(ILogger logger, string requestId, string frontend, string reason);

    [LoggerMessage(EventId = 2090, Level = LogLevel.Information, Message = "Request {RequestId} rejected by frontend {Frontend} for its framing: {Reason}")]
    public static partial void FramingRejected(ILogger logger, string requestId, string frontend, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Request {RequestId} to server {Backend}/{Server} failed ({Error}), responded {Status}: {Detail}")]
    public static partial void ForwardFailed(ILogger logger, string requestId, string backend, string server, string error, int status, string detail);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Request {RequestId} to server {Backend}/{Server} aborted by the client ({Error})")]
    public static partial void ClientAborted(ILogger logger, string requestId, string backend, string server, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Request {RequestId}: no server available in backend {Backend}")]
    public static partial void NoServer(ILogger logger, string requestId, string backend);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Request {RequestId}: '{Rule}' named backend {Backend}, which does not exist; trying the next rule")]
    public static partial void DynamicBackendMissing(ILogger logger, string requestId, string rule, string backend);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Request {RequestId}: optional edge assertion ignored: {Reason}")]
    public static partial void OptionalAssertionIgnored(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Balancer stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Server {Backend}/{Server} is DOWN, reason: {Reason}, check duration: {DurationMs}ms. {ActiveLeft} active and {BackupLeft} backup servers left. {Queued} requests in queue")]
    public static partial void ServerDown(ILogger logger, string backend, string server, string reason, long durationMs, int activeLeft, int backupLeft, int queued);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Server {Backend}/{Server} is UP, reason: {Reason}, check duration: {DurationMs}ms. {ActiveOnline} active and {BackupOnline} backup servers online. {Queued} requests in queue")]
    public static partial void ServerUp(ILogger logger, string backend, string server, string reason, long durationMs, int activeOnline, int backupOnline, int queued);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Backend {Backend} has no server available")]
    public static partial void BackendDown(ILogger logger, string backend);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Request {RequestId} to server {Backend}/{Server} failed ({Failure}); retry {Retry} of {Retries} goes to server {NextServer}")]
    public static partial void RequestRetried(ILogger logger, string requestId, string backend, string server, string failure, int retry, int retries, string nextServer);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Request {RequestId} rejected with 503 by backend {Backend}: {Reason}")]
    public static partial void QueueRejected(ILogger logger, string requestId, string backend, string reason);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information, Message = "Health checks started for {Count} servers of backend {Backend}")]
    public static partial void ChecksStarted(ILogger logger, string backend, int count);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information, Message = "Configuration reloaded: {Frontends} frontends, {Backends} backends, {Servers} servers; new requests use it")]
    public static partial void Reloaded(ILogger logger, int frontends, int backends, int servers);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Error, Message = "Invalid configuration on reload: {Error}")]
    public static partial void ReloadConfigError(ILogger logger, string error);

    [LoggerMessage(EventId = 2018, Level = LogLevel.Error, Message = "Reload failed, keeping the running configuration: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2019, Level = LogLevel.Warning, Message = "TCP connection {ConnectionId}: connecting to server {Server} of backend {Backend} failed: {Error}")]
    public static partial void TcpConnectFailed(ILogger logger, string connectionId, string backend, string server, string error);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "TCP connection {ConnectionId}: backend {Backend} has no server for it ({Reason}); closing")]
    public static partial void TcpNoServer(ILogger logger, string connectionId, string backend, string reason);
}
