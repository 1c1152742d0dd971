using Gatehouse.Balancer.Configuration;
using Gatehouse.Trust.Assertions;

namespace Gatehouse.Balancer.Runtime;

/// <summary>A frontend at run time: its configuration and, when it reads edge assertions, the verifier.</summary>
internal sealed class FrontendRuntime
{
    public FrontendRuntime(FrontendConfig config, IEdgeAssertionVerifier? verifier)
    {
        Config = config;
        Verifier = verifier;
    }

    public FrontendConfig Config { get; }

    /// <summary>Requests this frontend received, for the stats page.</summary>
    public Stats.ProxyCounters Counters { get; } = new();

    public string Name => Config.Name;

    /// <summary>Connections closed by a `tcp-request connection reject` rule (HAProxy's dcon).</summary>
    public long DeniedConnections => Volatile.Read(ref _deniedConnections);

    private long _deniedConnections;

    public void CountDeniedConnection() => Interlocked.Increment(ref _deniedConnections);

    public IEdgeAssertionVerifier? Verifier { get; }
}
