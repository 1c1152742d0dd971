namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// What one node knows of a shared rate counter entry: the global counts fetched at the last flush, the local
/// deltas sent in the flush still under way, and the local deltas not sent yet. Callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class SharedRateEntry
{
    public SharedRateEntry(string key, long nowSecond)
    {
        Key = key;
        LastUseSecond = nowSecond;
    }

    public string Key { get; }

    public Lock Gate { get; } = new();

    /// <summary>Global counts as Redis returned them at the last successful flush, this node's flushed deltas included.</summary>
    public BucketCounts Remote { get; set; } = new();

    /// <summary>Local deltas of the flush under way; they are in Redis once its reply arrives.</summary>
    public BucketCounts InFlight { get; set; } = new();

    /// <summary>Local deltas counted since the last flush started.</summary>
    public BucketCounts Pending { get; set; } = new();

    /// <summary>Unix second of the latest increment or lookup; an entry unused for 60 s leaves the table.</summary>
    public long LastUseSecond { get; set; }

    /// <summary>Set under <see cref="Gate"/> once the table dropped this entry; writers then retry on a new one.</summary>
    public bool Removed { get; set; }

    public bool HasUnsent => !Pending.IsEmpty || !InFlight.IsEmpty;

    public long SumTenths(long first, long last) =>
        Remote.SumTenths(first, last) + InFlight.SumTenths(first, last) + Pending.SumTenths(first, last);

    public long SumSeconds(long first, long last) =>
        Remote.SumSeconds(first, last) + InFlight.SumSeconds(first, last) + Pending.SumSeconds(first, last);

    /// <summary>Moves the pending deltas into flight and returns them; the caller sends them to Redis.</summary>
    public BucketCounts StartFlush()
    {
        InFlight.AddAll(Pending);
        Pending = new BucketCounts();
        return InFlight;
    }

    /// <summary>Replaces the global view with Redis's reply, which now contains the deltas that were in flight.</summary>
    public void CompleteFlush(BucketCounts remote)
    {
        Remote = remote;
        InFlight = new BucketCounts();
    }

    /// <summary>
    /// Returns the deltas in flight to pending so the next flush sends them again. If Redis applied them before
    /// the failure, they count twice: a failed flush can over-count but never under-count.
    /// </summary>
    public void FailFlush(long nowTenth)
    {
        Pending.AddAll(InFlight);
        InFlight = new BucketCounts();
        Pending.Prune(nowTenth);
        Remote.Prune(nowTenth);
    }
}
