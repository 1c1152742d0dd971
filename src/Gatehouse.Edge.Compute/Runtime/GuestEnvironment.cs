using System.Collections.Concurrent;
using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// What a guest can reach outside itself: backends, config stores, secret stores, KV stores, rate counters
/// and penalty boxes. One instance is shared by every request of a package, so KV writes and rate counts
/// persist across requests.
/// </summary>
public sealed class GuestEnvironment
{
    private readonly ConcurrentDictionary<string, IRateCounter> _rateCounters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IPenaltyBox> _penaltyBoxes = new(StringComparer.Ordinal);

    public IDictionary<string, GuestBackend> Backends { get; } = new Dictionary<string, GuestBackend>(StringComparer.Ordinal);

    /// <summary>Config stores and dictionaries, both read with the same lookups.</summary>
    public IDictionary<string, IReadOnlyDictionary<string, string>> ConfigStores { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    public IDictionary<string, IReadOnlyDictionary<string, string>> SecretStores { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    public IDictionary<string, KvStore> KvStores { get; } = new Dictionary<string, KvStore>(StringComparer.Ordinal);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Environment variables the guest sees, on top of <c>FASTLY_HOSTNAME</c> and friends.</summary>
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Supplies the counter behind a guest's <c>RateCounter(name)</c>, called once per name. Null gives each
    /// name a new in-memory counter. The edge passes its shared (for example Redis-backed) counters here, so
    /// guest counts and its own limits agree across processes.
    /// </summary>
    public Func<string, IRateCounter>? RateCounterFactory { get; init; }

    /// <summary>Supplies the penalty box behind a guest's <c>PenaltyBox(name)</c>, called once per name. Null gives each name an in-memory box.</summary>
    public Func<string, IPenaltyBox>? PenaltyBoxFactory { get; init; }

    internal IRateCounter RateCounter(string name) =>
        _rateCounters.GetOrAdd(name, n => RateCounterFactory?.Invoke(n) ?? new InMemoryRateCounter(TimeProvider));

    internal IPenaltyBox PenaltyBox(string name) =>
        _penaltyBoxes.GetOrAdd(name, n => PenaltyBoxFactory?.Invoke(n) ?? new InMemoryPenaltyBox(TimeProvider));
}
