using System.Diagnostics;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>The activity sources of both tiers; OpenTelemetry and other listeners subscribe by these names.</summary>
public static class TierSources
{
    public const string EdgeName = "Gatehouse.Edge";

    public const string BalancerName = "Gatehouse.Balancer";

    public static readonly ActivitySource Edge = new(EdgeName);

    public static readonly ActivitySource Balancer = new(BalancerName);
}
