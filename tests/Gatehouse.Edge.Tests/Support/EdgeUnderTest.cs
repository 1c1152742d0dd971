using System.Collections.Concurrent;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Edge.Tests.Support;

/// <summary>
/// A real edge on a loopback port in front of an <see cref="EchoOrigin"/>, which stands in for the balancer.
/// The configuration text gets a [balancer] section pointing at the origin.
/// </summary>
internal sealed class EdgeUnderTest : IAsyncDisposable
{
    private readonly EdgeHost _edge;
    private readonly EchoOrigin _origin;
    private readonly string _keyDirectory;

    private EdgeUnderTest(EdgeHost edge, EchoOrigin origin, string keyDirectory, CapturingLoggerFactory logs, DecisionList decisions)
    {
        _edge = edge;
        _origin = origin;
        _keyDirectory = keyDirectory;
        Logs = logs;
        Decisions = decisions;
    }

    public Uri Address => _edge.Address;

    public CapturingLoggerFactory Logs { get; }

    public DecisionList Decisions { get; }

    public static async Task<EdgeUnderTest> StartAsync(
        string toml, Func<CapturingLoggerFactory, ITokenValidator>? tokens = null, CapturingLoggerFactory? logs = null)
    {
        var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "gh-edge-test-" + Guid.NewGuid().ToString("N"));
        logs ??= new CapturingLoggerFactory();
        var decisions = new DecisionList();
        var text = $"[balancer]\nurl = \"{origin.Address}\"\n\n{toml}";
        var config = EdgeConfigLoader.Parse(text, Path.Combine(AppContext.BaseDirectory, "edge.toml"), new Dictionary<string, string>());
        var ring = KeyRing.OpenDirectory(keyDirectory);
        var edge = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = logs,
                Decisions = decisions,
                Assertions = new EdgeAssertionIssuer(ring),
                PublicJwks = ring.PublicJwksJson,
                Tokens = tokens?.Invoke(logs),
                Listen = "127.0.0.1:0",
            },
            CancellationToken.None);
        return new EdgeUnderTest(edge, origin, keyDirectory, logs, decisions);
    }

    public async ValueTask DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _origin.DisposeAsync();
        Directory.Delete(_keyDirectory, recursive: true);
    }
}

/// <summary>Decision records written by the edge under test.</summary>
internal sealed class DecisionList : IDecisionSink
{
    private readonly ConcurrentQueue<DecisionRecord> _records = new();

    public IReadOnlyList<DecisionRecord> Records => _records.ToList();

    public void Write(DecisionRecord record) => _records.Enqueue(record);
}
