using System.Diagnostics.Metrics;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// The edge's instruments on the "Gatehouse.Edge" meter. <see cref="EdgeMetricsExporter"/> writes them as Prometheus
/// text under gatehouse_edge_*; any other MeterListener or OpenTelemetry exporter can read them too.
/// </summary>
internal static class EdgeMetrics
{
    public const string MeterName = "Gatehouse.Edge";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Requests by the rule that decided them and the action taken (forward, deny, limit, penalty, ...).</summary>
    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>("gatehouse_edge_decisions_total", description: "Requests decided, by rule and action");

    /// <summary>Token checks by result: valid, or the reason the token was rejected.</summary>
    public static readonly Counter<long> TokenValidations = Meter.CreateCounter<long>("gatehouse_edge_token_validations_total", description: "Token validations, by result");

    public static readonly Histogram<double> TokenValidationSeconds = Meter.CreateHistogram<double>(
        "gatehouse_edge_token_validation_seconds", unit: "s", description: "Time taken to validate a token, in seconds");

    public static readonly Counter<long> RateLimitHits = Meter.CreateCounter<long>("gatehouse_edge_rate_limit_hits_total", description: "Requests rejected by a rate limit or the penalty box, by rule");

    public static readonly Histogram<double> GuestInstantiationSeconds = Meter.CreateHistogram<double>(
        "gatehouse_edge_guest_instantiation_seconds", unit: "s", description: "Time taken to create a guest instance, in seconds");

    public static readonly Histogram<double> GuestRunSeconds = Meter.CreateHistogram<double>(
        "gatehouse_edge_guest_run_seconds", unit: "s", description: "Wall-clock time a guest ran for one request, in seconds");

    public static readonly Counter<long> GuestLimitKills = Meter.CreateCounter<long>("gatehouse_edge_guest_limit_kills_total", description: "Guests stopped by a CPU, memory or request limit, by limit");

    private static Func<long> _penaltyBoxSize = () => 0;

    static EdgeMetrics()
    {
        Meter.CreateObservableGauge("gatehouse_edge_penalty_box_entries", () => _penaltyBoxSize(), description: "Number of keys in the local penalty box");
    }

    /// <summary>Sets how the penalty box gauge reads its size; the host calls it once it has built the penalty box.</summary>
    public static void ObservePenaltyBox(Func<long> size) => _penaltyBoxSize = size;

    /// <summary>Counts one request's decision, and a rate limit hit when the decision is "limit" or "penalty".</summary>
    public static void RecordDecision(string? rule, string decision)
    {
        var ruleName = rule ?? "none";
        Decisions.Add(1, new KeyValuePair<string, object?>("rule", ruleName), new KeyValuePair<string, object?>("action", decision));
        if (decision is "limit" or "penalty")
        {
            RateLimitHits.Add(1, new KeyValuePair<string, object?>("rule", ruleName));
        }
    }
}
