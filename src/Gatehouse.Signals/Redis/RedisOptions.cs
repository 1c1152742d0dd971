using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gatehouse.Signals.Redis;

/// <summary>
/// How a node connects to the Redis that shares counters, the penalty box, feedback signals and the key ring
/// between nodes: the values of a <c>[redis]</c> configuration section.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>Redis servers as <c>host:port</c>; the client picks the primary. Default <c>127.0.0.1:6379</c>.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = ["127.0.0.1:6379"];

    /// <summary>ACL user name (Redis 6 and later); null for the <c>default</c> user.</summary>
    public string? User { get; init; }

    /// <summary>Password of <see cref="User"/>, or the <c>requirepass</c> password; null when none is set.</summary>
    public string? Password { get; init; }

    /// <summary>Database number. Default 0.</summary>
    public int Database { get; init; }

    /// <summary>Prefix of every key and channel this node uses, so several deployments share one Redis. Default <c>gatehouse:</c>.</summary>
    public string KeyPrefix { get; init; } = "gatehouse:";

    /// <summary>Time to wait for a connection, at start-up and on each reconnect. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait for one command's reply before it counts as failed and the caller uses local state.
    /// Default 1 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns every invalid value, each as a message naming the option; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Endpoints.Count == 0)
        {
            problems.Add("redis endpoints: expected at least one host:port, for example 127.0.0.1:6379.");
        }

        foreach (var endpoint in Endpoints)
        {
            if (!IsHostAndPort(endpoint))
            {
                problems.Add($"redis endpoints: '{endpoint}' is not a valid host:port.");
            }
        }

        if (Database < 0)
        {
            problems.Add($"redis database: {Database} is negative; expected 0 or more.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero)
        {
            problems.Add("redis timeouts: connect and operation timeouts must be positive.");
        }

        return problems;
    }

    /// <summary>
    /// Builds the client configuration. The connection never aborts on a failed connect, commands fail at
    /// once while disconnected instead of queueing, and the client reconnects every 500 ms until it succeeds.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every problem.</exception>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        var options = new ConfigurationOptions
        {
            User = User,
            Password = Password,
            DefaultDatabase = Database,
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new LinearRetry(500),
            ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            AsyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            ClientName = "gatehouse",
        };
        foreach (var endpoint in Endpoints)
        {
            options.EndPoints.Add(endpoint);
        }

        return options;
    }

    /// <summary>
    /// Connects to Redis. Returns a connected client, or one that keeps reconnecting in the background when
    /// Redis is unreachable at start-up, so a node starts on local state rather than failing.
    /// </summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(ILogger? logger = null)
    {
        var configuration = ToConfigurationOptions();
        SignalsLog.RedisConnecting(logger ?? NullLogger.Instance, string.Join(",", Endpoints), Database, KeyPrefix);
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    private static bool IsHostAndPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is > 0 and < 65536;
    }

    /// <summary>Describes the options with the password replaced by <c>(set)</c>, so the text is safe to log.</summary>
    public override string ToString() =>
        $"endpoints={string.Join(",", Endpoints)} user={User ?? "default"} password={(Password is null ? "(none)" : "(set)")} " +
        $"database={Database} prefix={KeyPrefix}";
}
