using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>A server at run time: its configuration, destination URL prefix, active request count and check health.</summary>
internal sealed class ServerState
{
    private readonly Lock _healthLock = new();
    private int _active;
    private volatile bool _up = true;
    private int _health;

    public ServerState(ServerConfig config)
    {
        Config = config;
        var host = config.Host.Contains(':', StringComparison.Ordinal) ? $"[{config.Host}]" : config.Host;
        DestinationPrefix = $"http://{host}:{config.Port}";

        // A checked server starts UP with full health, as HAProxy does, so it takes traffic before the first check.
        _health = config.Check is { } check ? check.Rise + check.Fall - 1 : 0;
    }

    public ServerConfig Config { get; }

    /// <summary>Requests this server answered, by status class, for the stats page.</summary>
    public Stats.ProxyCounters Counters { get; } = new();

    public string Name => Config.Name;

    public int Weight => Config.Weight;

    /// <summary>"http://host:port" without a trailing slash.</summary>
    public string DestinationPrefix { get; }

    /// <summary>Requests being forwarded to this server now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>False after the health check marked the server DOWN.</summary>
    public bool IsUp => _up;

    /// <summary>True when the server may take requests at all: UP, not disabled and weight above 0.</summary>
    public bool IsEligible => _up && !Config.Disabled && Config.Weight > 0;

    /// <summary>True when the server may take a request now: eligible and below its maxconn.</summary>
    public bool IsUsable => IsEligible && (Config.MaxConnections is not { } max || Active < max);

    /// <summary>Takes a connection slot unless the server is at maxconn; the caller must <see cref="Leave"/> after a true result.</summary>
    public bool TryEnter()
    {
        if (Config.MaxConnections is not { } max)
        {
            Interlocked.Increment(ref _active);
            return true;
        }

        var current = Volatile.Read(ref _active);
        while (current < max)
        {
            var seen = Interlocked.CompareExchange(ref _active, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _active);

    /// <summary>
    /// Applies one check result with HAProxy's health counter: health runs from 0 to rise + fall - 1 and the
    /// server is UP at rise or above. Returns true or false when the server just went UP or DOWN, else null.
    /// </summary>
    public bool? RecordCheck(bool passed)
    {
        var check = Config.Check!;
        var top = check.Rise + check.Fall - 1;
        lock (_healthLock)
        {
            if (passed)
            {
                _health = Math.Min(_health + 1, top);
                if (!_up && _health >= check.Rise)
                {
                    _health = top;
                    _up = true;
                    return true;
                }

                return null;
            }

            _health = _up && _health <= check.Rise ? 0 : Math.Max(_health - 1, 0);
            if (_up && _health < check.Rise)
            {
                _health = 0;
                _up = false;
                return false;
            }

            return null;
        }
    }

    /// <summary>The wait before the next check: inter when fully UP, downinter when fully DOWN, fastinter in between.</summary>
    public TimeSpan NextCheckInterval()
    {
        var check = Config.Check!;
        lock (_healthLock)
        {
            if (_up && _health == check.Rise + check.Fall - 1)
            {
                return check.Interval;
            }

            return !_up && _health == 0 ? check.DownInterval : check.FastInterval;
        }
    }
}
