using System.Net;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Peers;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Balancer.StickTables;
using Gatehouse.Balancer.Tests.Runtime;
using Gatehouse.Balancer.Tests.Tls;

namespace Gatehouse.Balancer.Tests.Peers;

/// <summary>Two balancers, A and B, started from one configuration that shares table `be` through one Redis.</summary>
internal sealed class TwoBalancers : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly EchoOrigin _origin;

    private TwoBalancers(EchoOrigin origin, BalancerNode a, BalancerNode b, RecordingLoggerProvider logsA)
    {
        _origin = origin;
        A = a;
        B = b;
        LogsA = logsA;
    }

    public BalancerNode A { get; }

    public BalancerNode B { get; }

    public RecordingLoggerProvider LogsA { get; }

    /// <summary>Starts both balancers; <paramref name="frontendRules"/> go into the frontend after `track-sc0 src table be`.</summary>
    public static async Task<TwoBalancers> StartAsync(RedisProcess redis, string frontendRules, string tableOptions)
    {
        var origin = await EchoOrigin.StartAsync("o");
        var prefix = $"peers-test-{Guid.NewGuid():N}:";
        var text = $"""
            peers mesh
                peer a 127.0.0.1:10000
                peer b 127.0.0.1:10001
                gatehouse-redis {redis.Endpoint} key-prefix {prefix}
            frontend fe
                bind 127.0.0.1:0
                http-request track-sc0 src table be
            {frontendRules}
                default_backend be
            backend be
                stick-table type ip size 1k peers mesh {tableOptions}
                server s1 {origin.Address}
            """;
        var logsA = new RecordingLoggerProvider();
        var a = await StartHostAsync(text, logsA);
        var b = await StartHostAsync(text, new RecordingLoggerProvider());
        return new TwoBalancers(origin, a, b, logsA);
    }

    public static async Task<HttpStatusCode> SendAsync(BalancerNode node, string path)
    {
        using var response = await node.Client.GetAsync(path);
        return response.StatusCode;
    }

    public static StickTable Table(BalancerNode host) => host.Host.StickTables.Find("be")!;

    public static PeerSync Sync(BalancerNode host) => Assert.Single(host.Host.State.StickTables.Syncs);

    /// <summary>Returns the value of <paramref name="type"/> for the loopback client on <paramref name="host"/>, or null without an entry.</summary>
    public static long? Read(BalancerNode host, StickDataType type) =>
        Table(host).Lookup("127.0.0.1") is { } entry ? Table(host).Read(entry, type) : null;

    /// <summary>Waits until both nodes have finished <paramref name="count"/> more exchanges with Redis.</summary>
    public async Task WaitForExchangesAsync(int count = 2)
    {
        var targetA = Sync(A).FlushesCompleted + count;
        var targetB = Sync(B).FlushesCompleted + count;
        await WaitUntilAsync(() => Sync(A).FlushesCompleted >= targetA && Sync(B).FlushesCompleted >= targetB, "both nodes to exchange with Redis");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {Deadline.TotalSeconds} s waiting for {description}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await _origin.DisposeAsync();
        LogsA.Dispose();
    }

    private static async Task<BalancerNode> StartHostAsync(string text, RecordingLoggerProvider logs)
    {
        var config = BalancerConfigLoader.Parse(text, "peers.cfg", new Dictionary<string, string>());
        var host = await BalancerHost.StartAsync(config, new BalancerHostOptions { LoggerFactory = logs.CreateFactory() }, CancellationToken.None);
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.BoundAddresses["fe"][0], Timeout = TimeSpan.FromSeconds(30) };
        return new BalancerNode(host, client);
    }
}

/// <summary>One balancer of <see cref="TwoBalancers"/> and a client for its frontend.</summary>
internal sealed record BalancerNode(BalancerHost Host, HttpClient Client) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
