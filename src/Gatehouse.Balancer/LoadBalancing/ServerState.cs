using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>A server at run time: its configuration, destination URL prefix, active request count and check health.</summary>
internal sealed partial class ServerState
{
    private readonly Lock _healthLock = new();
    private int _active;
    private volatile bool _up = true;
    private int _health;
    private volatile ServerAdminState _adminState;
    private volatile int _weight;
    private long _lastChange = Environment.TickCount64;
    private volatile bool _wasInMaintenance;

    public ServerState(ServerConfig config)
    {
        Config = config;
        var host = config.Host.Contains(':', StringComparison.Ordinal) ? $"[{config.Host}]" : config.Host;
        DestinationPrefix = $"{(config.Tls is null ? "http" : "https")}://{host}:{config.Port}";

        // A checked server starts UP with full health, as HAProxy does, so it takes traffic before the first check.
        _health = config.Check is { } check ? check.Rise + check.Fall - 1 : 0;
        _adminState = config.Disabled ? ServerAdminState.Maintenance : ServerAdminState.Ready;
        _weight = config.Weight;
    }

    public ServerConfig Config { get; }

    /// <summary>Requests this server answered, by status class, for the stats page.</summary>
    public Stats.ProxyCounters Counters { get; } = new();

    public string Name => Config.Name;

    /// <summary>The current weight: the configured one until `set server ... weight` changes it.</summary>
    public int Weight => _weight;

    /// <summary>The administrative state: `disabled` on the server line starts it in maintenance, the runtime API changes it.</summary>
    public ServerAdminState AdminState => _adminState;

    /// <summary>Sets the administrative state; the balancers pick up the change on their next selection.</summary>
    public void SetAdminState(ServerAdminState state)
    {
        _wasInMaintenance |= state == ServerAdminState.Maintenance;
        if (_adminState != state)
        {
            Volatile.Write(ref _lastChange, Environment.TickCount64);
        }

        _adminState = state;
    }

    /// <summary>True once the runtime API has put the server in maintenance; HAProxy then shows its check health as 0.</summary>
    public bool WasInMaintenance => _wasInMaintenance;

    /// <summary>Whole seconds since the server's state last changed (start, admin state or health).</summary>
    public long SecondsSinceLastChange => (Environment.TickCount64 - Volatile.Read(ref _lastChange)) / 1000;

    /// <summary>Sets the current weight, from 0 to 256 as in HAProxy; the balancers rebuild their tables on their next selection.</summary>
    public void SetWeight(int weight) => _weight = Math.Clamp(weight, 0, 256);

    /// <summary>True when health checks run for this server: it has `check` and is not in maintenance, as in HAProxy.</summary>
    public bool IsChecked => Config.Check is not null && _adminState != ServerAdminState.Maintenance;

    /// <summary>
    /// True when a persisted request (cookie or stick table) may go to this server: UP and not in maintenance.
    /// A draining server or one with weight 0 still takes them, as in HAProxy.
    /// </summary>
    public bool AcceptsPersistent => _up && _adminState != ServerAdminState.Maintenance;

    /// <summary>The weight the weighted balancers build their tables from: the current weight when eligible, else 0.</summary>
    public int BalanceWeight => IsEligible ? _weight : 0;

    /// <summary>"http://host:port" without a trailing slash.</summary>
    public string DestinationPrefix { get; }

    /// <summary>Requests being forwarded to this server now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>False after the health check marked the server DOWN.</summary>
    public bool IsUp => _up;

    /// <summary>True when the server may take new, not persisted requests: UP, ready (not draining or in maintenance) and weight above 0.</summary>
    public bool IsEligible => _up && _adminState == ServerAdminState.Ready && _weight > 0;

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
                    Volatile.Write(ref _lastChange, Environment.TickCount64);
                    return true;
                }

                return null;
            }

            _health = _up && _health <= check.Rise ? 0 : Math.Max(_health - 1, 0);
            if (_up && _health < check.Rise)
            {
                _health = 0;
                _up = false;
                Volatile.Write(ref _lastChange, Environment.TickCount64);
                return false;
            }

            return null;
        }
    }

    /// <summary>The check health counter, from 0 to rise + fall - 1.</summary>
    public int Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health;
            }
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

/// <summary>A server's administrative state, as `set server B/S state` sets it.</summary>
internal enum ServerAdminState
{
    Ready,

    /// <summary>Takes only persisted requests.</summary>
    Drain,

    /// <summary>Takes no requests and is not health checked.</summary>
    Maintenance,
}
