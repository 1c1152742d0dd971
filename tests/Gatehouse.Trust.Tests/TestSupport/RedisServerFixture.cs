using StackExchange.Redis;

namespace Gatehouse.Trust.Tests.TestSupport;

/// <summary>One redis-server shared by the tests of a class; each test keeps its keys under its own prefix.</summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly RedisServer _server = RedisServer.Start();

    internal RedisServer Server => _server;

    /// <summary>Opens a new connection, as a separate node would.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectAsync(_server);

    internal static Task<ConnectionMultiplexer> ConnectAsync(RedisServer server, string? user = null, string? password = null)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { server.Endpoint },
            User = user,
            Password = password,
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
        };
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    public static string NewPrefix() => "test:" + Guid.NewGuid().ToString("N")[..12] + ":keys:";

    public void Dispose() => _server.Dispose();
}
