using Gatehouse.Signals.Redis;
using StackExchange.Redis;

namespace Gatehouse.Signals.Tests.Redis;

/// <summary>One redis-server shared by the tests of a class; each test keeps its keys under <see cref="NewPrefix"/>.</summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly RedisServer _server = RedisServer.Start();

    internal RedisServer Server => _server;

    public RedisOptions Options(string prefix) => new()
    {
        Endpoints = [_server.Endpoint],
        KeyPrefix = prefix,
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Opens a new connection, as a separate node would.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync(string prefix) => Options(prefix).ConnectAsync();

    public static string NewPrefix() => "test:" + Guid.NewGuid().ToString("N")[..12] + ":";

    public void Dispose() => _server.Dispose();
}
