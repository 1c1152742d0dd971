using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>A server at run time: its configuration, destination URL prefix and active request count.</summary>
internal sealed class ServerState
{
    private int _active;

    public ServerState(ServerConfig config)
    {
        Config = config;
        var host = config.Host.Contains(':', StringComparison.Ordinal) ? $"[{config.Host}]" : config.Host;
        DestinationPrefix = $"http://{host}:{config.Port}";
    }

    public ServerConfig Config { get; }

    public string Name => Config.Name;

    public int Weight => Config.Weight;

    /// <summary>"http://host:port" without a trailing slash.</summary>
    public string DestinationPrefix { get; }

    /// <summary>Requests being forwarded to this server now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>
    /// True when the server may take a request: not disabled, weight above 0, and below its maxconn.
    /// NOTE: with no queue, a server at maxconn is skipped rather than queued for.
    /// </summary>
    public bool IsUsable => !Config.Disabled && Config.Weight > 0 && (Config.MaxConnections is not { } max || Active < max);

    public void Enter() => Interlocked.Increment(ref _active);

    public void Leave() => Interlocked.Decrement(ref _active);
}
