using System.Diagnostics.Metrics;
using Gatehouse.Edge.Compute.Runtime;
using Gatehouse.Trust.Identity;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// One edge host's instruments on a "Gatehouse.Edge" meter of its own, so two edges in one process never mix
/// their counts. <see cref="EdgeMetricsExporter"/> writes them as Prometheus text under gatehouse_edge_*; any other
/// MeterListener or OpenTelemetry exporter that listens to the meter name reads them too. Dispose with the host.
/// </summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "Gatehouse.Edge";

    private Func<long> _penaltyBoxSize = () => 0;

    public EdgeMetrics(TimeProvider? time = null)
    {
        Meter = new Meter(MeterName);
        Decisions = Meter.CreateCounter<long>("gatehouse_edge_decisions_total", description: "Requests decided, by rule and action");
        TokenValidations = Meter.CreateCounter<long>("gatehouse_edge_token_validations_total", description: "Token validations, by result");
        TokenValidationSeconds = Meter.CreateHistogram<double>(
            "gatehouse_edge_token_validation_seconds", unit: "s", description: "Time taken to validate a token, in seconds");
        RateLimitHits = Meter.CreateCounter<long>(
            "gatehouse_edge_rate_limit_hits_total", description: "Requests rejected by a rate limit or the penalty box, by rule");
        GuestInstantiationSeconds = Meter.CreateHistogram<double>(
            "gatehouse_edge_guest_instantiation_seconds", unit: "s", description: "Time taken to create a guest instance, in seconds");
        GuestRunSeconds = Meter.CreateHistogram<double>(
            "gatehouse_edge_guest_run_seconds", unit: "s", description: "Wall-clock time a guest ran for one request, in seconds");
        GuestLimitKills = Meter.CreateCounter<long>(
            "gatehouse_edge_guest_limit_kills_total", description: "Guests stopped by a CPU, memory or wall-clock limit, by limit");
        Meter.CreateObservableGauge(
            "gatehouse_edge_penalty_box_entries", () => _penaltyBoxSize(), description: "Number of keys in the local penalty box");
        Rates = new DecisionRates(time ?? TimeProvider.System);
    }

    public Meter Meter { get; }

    /// <summary>Requests by the rule that decided them and the action taken (forward, deny, limit, penalty, ...).</summary>
    public Counter<long> Decisions { get; }

    /// <summary>Token checks by result: valid, or the reason the token was rejected.</summary>
    public Counter<long> TokenValidations { get; }

    public Histogram<double> TokenValidationSeconds { get; }

    public Counter<long> RateLimitHits { get; }

    public Histogram<double> GuestInstantiationSeconds { get; }

    public Histogram<double> GuestRunSeconds { get; }

    public Counter<long> GuestLimitKills { get; }

    /// <summary>Decisions per second by action over the last seconds, for the edge panel.</summary>
    public DecisionRates Rates { get; }

    /// <summary>The keys rejected most often by a rate limit or the penalty box, for the edge panel.</summary>
    public LimitedKeys LimitedKeys { get; } = new();

    /// <summary>Current size of the penalty box, read by the gauge and the edge panel.</summary>
    public long PenaltyBoxSize => _penaltyBoxSize();

    /// <summary>Sets how the penalty box gauge reads its size; the host calls it once it has built the penalty box.</summary>
    public void ObservePenaltyBox(Func<long> size) => _penaltyBoxSize = size;

    /// <summary>Counts one request's decision, and a rate limit hit when the decision is "limit" or "penalty".</summary>
    public void RecordDecision(string? rule, string decision)
    {
        var ruleName = rule ?? "none";
        Decisions.Add(1, new KeyValuePair<string, object?>("rule", ruleName), new KeyValuePair<string, object?>("action", decision));
        Rates.Add(decision);
        if (decision is "limit" or "penalty")
        {
            RateLimitHits.Add(1, new KeyValuePair<string, object?>("rule", ruleName));
        }
    }

    /// <summary>Counts one bearer token check and records how long it took.</summary>
    public void RecordTokenValidation(TokenFailure failure, TimeSpan elapsed)
    {
        var result = new KeyValuePair<string, object?>("result", TokenResult(failure));
        TokenValidations.Add(1, result);
        TokenValidationSeconds.Record(elapsed.TotalSeconds, result);
    }

    /// <summary>Records a guest request's instantiation and run time, and the limit that stopped it, if any.</summary>
    public void RecordGuest(GuestOutcome outcome)
    {
        if (outcome.Failure != GuestFailure.Instantiation)
        {
            GuestInstantiationSeconds.Record(outcome.InstantiateTime.TotalSeconds);
        }

        GuestRunSeconds.Record(outcome.WallTime.TotalSeconds);
        if (LimitOf(outcome) is { } limit)
        {
            GuestLimitKills.Add(1, new KeyValuePair<string, object?>("limit", limit));
        }
    }

    /// <summary>Returns the <c>result</c> label of a token check, in snake case: valid, expired, bad_signature, unknown_kid, ...</summary>
    public static string TokenResult(TokenFailure failure) => failure switch
    {
        TokenFailure.None => "valid",
        TokenFailure.Missing => "missing",
        TokenFailure.TooLarge => "too_large",
        TokenFailure.Malformed => "malformed",
        TokenFailure.AlgorithmNotAllowed => "algorithm_not_allowed",
        TokenFailure.BadSignature => "bad_signature",
        TokenFailure.UnknownKey => "unknown_kid",
        TokenFailure.Expired => "expired",
        TokenFailure.NotYetValid => "not_yet_valid",
        TokenFailure.WrongIssuer => "wrong_issuer",
        TokenFailure.WrongAudience => "wrong_audience",
        TokenFailure.ProviderUnavailable => "provider_unavailable",
        _ => "invalid",
    };

    // Under Wasmtime's store limits a memory.grow past the heap limit fails inside the guest, and the guest then
    // traps, so the outcome has no failure kind of its own for memory.
    // NOTE: only traps whose message mentions memory are counted as memory kills; the JS runtime's wording is not checked.
    private static string? LimitOf(GuestOutcome outcome) => outcome.Failure switch
    {
        GuestFailure.CpuLimit => "cpu",
        GuestFailure.WallClockLimit => "wall_clock",
        GuestFailure.Trap when outcome.Cause?.Contains("memory", StringComparison.OrdinalIgnoreCase) == true => "memory",
        _ => null,
    };

    public void Dispose() => Meter.Dispose();
}
