namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Edge rate counter with the semantics of Fastly's <c>ratecounter</c>: per-entry event counts that
/// read back as a rate over a 1, 10 or 60 second window, or as a count over 10 to 60 seconds.
/// </summary>
public interface IRateCounter
{
    /// <summary>Adds <paramref name="delta"/> (0 to 100,000) events to <paramref name="entry"/> at the current time.</summary>
    void Increment(string entry, long delta);

    /// <summary>
    /// Returns the estimated events per second of <paramref name="entry"/> over the last
    /// <paramref name="windowSeconds"/> (1, 10 or 60), rounded down. Returns 0 for an unknown entry.
    /// </summary>
    long LookupRate(string entry, int windowSeconds);

    /// <summary>
    /// Returns the events of <paramref name="entry"/> in the last <paramref name="durationSeconds"/> / 10
    /// ten-second buckets (duration 10, 20, 30, 40, 50 or 60). Buckets are aligned to multiples of 10 s of
    /// Unix time and the current bucket is partial, as in Fastly, so the span covered is not continuous.
    /// </summary>
    long LookupCount(string entry, int durationSeconds);
}
