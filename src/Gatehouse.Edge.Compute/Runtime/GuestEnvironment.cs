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

    internal IRateCounter RateCounter(string name) => _rateCounters.GetOrAdd(name, _ => new InMemoryRateCounter(TimeProvider));

    internal IPenaltyBox PenaltyBox(string name) => _penaltyBoxes.GetOrAdd(name, _ => new InMemoryPenaltyBox(TimeProvider));
}
