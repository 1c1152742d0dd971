using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Telemetry;

/// <summary>Log events of the edge's metrics listener, ids 2140 to 2149 of the edge's 2000 range.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 2140, Level = LogLevel.Information, Message = "Edge metrics listener on {Address}: Prometheus text at {Path}, edge panel at /")]
    public static partial void ListenerStarted(ILogger logger, string address, string path);

    [LoggerMessage(EventId = 2141, Level = LogLevel.Warning, Message = "Edge metrics listener on {Address} is not on a loopback address; anyone who reaches it can read the edge's counts and limited client addresses")]
    public static partial void ListenerNotLoopback(ILogger logger, string address);
}
