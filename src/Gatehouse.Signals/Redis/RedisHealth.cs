using Microsoft.Extensions.Logging;

namespace Gatehouse.Signals.Redis;

/// <summary>
/// Reachability of Redis as one component sees it, so that losing Redis is logged once per outage (event
/// 5001) and its return once (event 5002), however many operations fail in between.
/// </summary>
internal sealed class RedisHealth
{
    private readonly ILogger _logger;
    private readonly string _component;
    private int _down;

    public RedisHealth(ILogger logger, string component)
    {
        _logger = logger;
        _component = component;
    }

    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>Records a failed operation; returns true when this failure started an outage.</summary>
    public bool ReportFailure(Exception? exception)
    {
        if (Interlocked.Exchange(ref _down, 1) == 1)
        {
            return false;
        }

        SignalsLog.RedisLost(_logger, exception, _component);
        return true;
    }

    /// <summary>Records a successful operation; returns true when it ended an outage.</summary>
    public bool ReportSuccess()
    {
        if (Interlocked.Exchange(ref _down, 0) == 0)
        {
            return false;
        }

        SignalsLog.RedisRestored(_logger, _component);
        return true;
    }
}
