using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Trust.Assertions;

namespace Gatehouse.Edge.Tests.MultiNode;

/// <summary>
/// One edge node as <c>gatehouse edge</c> runs it: stores opened by <see cref="EdgeStores"/> from the
/// edge.toml text (Redis when it has a [redis] section), a real Kestrel listener on a loopback port, and an
/// <see cref="EchoOrigin"/> standing in for the balancer.
/// </summary>
internal sealed class EdgeNode : IAsyncDisposable
{
    private readonly EchoOrigin _origin;
    private readonly string _keyDirectory;

    private EdgeNode(EdgeHost host, EdgeStores stores, EchoOrigin origin, string keyDirectory, CapturingLoggerFactory logs, DecisionList decisions)
    {
        Host = host;
        Stores = stores;
        _origin = origin;
        _keyDirectory = keyDirectory;
        Logs = logs;
        Decisions = decisions;
        Client = new HttpClient { BaseAddress = host.Address };
    }

    public EdgeHost Host { get; }

    public EdgeStores Stores { get; }

    public CapturingLoggerFactory Logs { get; }

    public DecisionList Decisions { get; }

    public HttpClient Client { get; }

    public static async Task<EdgeNode> StartAsync(string toml, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "gh-edge-node-" + Guid.NewGuid().ToString("N"));
        var logs = new CapturingLoggerFactory();
        var decisions = new DecisionList();
        var text = $"[balancer]\nurl = \"{origin.Address}\"\n\n{toml}";
        var config = EdgeConfigLoader.Parse(text, Path.Combine(AppContext.BaseDirectory, "edge.toml"), new Dictionary<string, string>());
        var stores = await EdgeStores.OpenAsync(config, keyDirectory, logs, time);
        var host = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = logs,
                Decisions = decisions,
                Assertions = new EdgeAssertionIssuer(stores.KeyRing),
                PublicJwks = stores.KeyRing.PublicJwksJson,
                Listen = "127.0.0.1:0",
                RateCounter = stores.RateCounter,
                FeedbackRateCounter = stores.FeedbackRateCounter,
                PenaltyBox = stores.PenaltyBox,
                Signals = stores.Signals,
                Time = time,
            },
            CancellationToken.None);
        return new EdgeNode(host, stores, origin, keyDirectory, logs, decisions);
    }

    /// <summary>Sends GET <paramref name="path"/> and returns the status code.</summary>
    public async Task<int> GetStatusAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Stores.DisposeAsync();
        await _origin.DisposeAsync();
        if (Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }
}
