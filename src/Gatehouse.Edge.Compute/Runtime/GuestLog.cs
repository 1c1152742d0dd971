using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Log events of the guest runtime. Event ids 3100–3199 belong to this project.</summary>
internal static partial class GuestLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "guest log {Endpoint} request={RequestId}: {Line}")]
    public static partial void EndpointLine(ILogger logger, string endpoint, string requestId, string line);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "guest {Stream} request={RequestId}: {Line}")]
    public static partial void StdioLine(ILogger logger, string stream, string requestId, string line);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "guest called hostcall {Module}.{Name}, which is not implemented; it returns Unsupported")]
    public static partial void Unsupported(ILogger logger, string module, string name);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "guest request={RequestId} failed with {Failure} after {WallMs} ms ({CpuMs} ms CPU): {Cause}")]
    public static partial void RequestFailed(ILogger logger, string requestId, GuestFailure failure, long wallMs, long cpuMs, string cause);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "compiled guest module {Sha256} in {Ms} ms")]
    public static partial void Compiled(ILogger logger, string sha256, long ms);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "loaded compiled guest module {Sha256} from cache {Path} in {Ms} ms")]
    public static partial void LoadedFromCache(ILogger logger, string sha256, string path, long ms);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "compiled module cache {Path} is unusable, compiling again: {Reason}")]
    public static partial void CacheRejected(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Debug, Message = "hostcall {Module}.{Name} returned {Status}: {Detail}")]
    public static partial void HostcallStatus(ILogger logger, string module, string name, Abi.FastlyStatus status, string detail);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "guest module {Sha256} resolves its imports on every request: the Wasmtime package lacks the internals used to resolve them once, or an import cannot be satisfied")]
    public static partial void ImportsResolvedPerRequest(ILogger logger, string sha256);
}
