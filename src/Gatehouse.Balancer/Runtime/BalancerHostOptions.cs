using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Balancer.Runtime;

/// <summary>What <see cref="BalancerHost.StartAsync"/> needs besides the configuration.</summary>
public sealed class BalancerHostOptions
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Receives one decision record per request; the default discards them.</summary>
    public IDecisionSink DecisionSink { get; init; } = NullDecisionSink.Instance;

    /// <summary>
    /// Builds the verifier for a frontend's `edge-assertion ... jwks URL` line, called once per such frontend
    /// at start. Required when any frontend has an edge-assertion line.
    /// </summary>
    public Func<Uri, IEdgeAssertionVerifier>? AssertionVerifierFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

internal sealed class NullDecisionSink : IDecisionSink
{
    public static readonly NullDecisionSink Instance = new();

    public void Write(DecisionRecord record)
    {
    }
}
