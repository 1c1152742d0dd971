using System.Text;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Argument limits of Fastly Edge Rate Limiting (VCL <c>ratelimit.*</c> reference and the Rust
/// <c>fastly::erl</c> docs, fastly 0.13), checked in one place so every primitive rejects the same inputs.
/// </summary>
internal static class ErlLimits
{
    public const int MaxEntryBytes = 256;
    public const long MaxDelta = 100_000;
    public const long MaxLimitPerSecond = 70_000_000;
    public static readonly TimeSpan MinPenaltyTtl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxPenaltyTtl = TimeSpan.FromMinutes(60);

    public static void ValidateEntry(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length == 0)
        {
            throw new ArgumentException("Entry must not be empty.", nameof(entry));
        }

        // UTF-8 length is at most 3 bytes per UTF-16 char, so short keys skip the byte count.
        if (entry.Length * 3 > MaxEntryBytes && Encoding.UTF8.GetByteCount(entry) > MaxEntryBytes)
        {
            throw new ArgumentException(
                $"Entry is {Encoding.UTF8.GetByteCount(entry)} bytes of UTF-8, over the maximum of {MaxEntryBytes}. Use a shorter key, for example a hash.",
                nameof(entry));
        }
    }

    public static void ValidateDelta(long delta)
    {
        if (delta is < 0 or > MaxDelta)
        {
            throw new ArgumentOutOfRangeException(
                nameof(delta), delta, $"Delta must be between 0 and {MaxDelta}.");
        }
    }

    public static void ValidateWindow(int windowSeconds)
    {
        if (windowSeconds is not (1 or 10 or 60))
        {
            throw new ArgumentOutOfRangeException(
                nameof(windowSeconds), windowSeconds, "Rate window must be 1, 10 or 60 seconds.");
        }
    }

    public static void ValidateDuration(int durationSeconds)
    {
        if (durationSeconds is < 10 or > 60 || durationSeconds % 10 != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(durationSeconds), durationSeconds, "Count duration must be 10, 20, 30, 40, 50 or 60 seconds.");
        }
    }

    /// <summary>
    /// Accepts 1 to 70,000,000 requests per second. Fastly requires at least 10 because its estimated counters
    /// are inaccurate below that. The in-memory counter counts exactly, so lower limits work here.
    /// </summary>
    public static void ValidateLimit(long limitPerSecond)
    {
        if (limitPerSecond is < 1 or > MaxLimitPerSecond)
        {
            throw new ArgumentOutOfRangeException(
                nameof(limitPerSecond), limitPerSecond, $"Limit must be between 1 and {MaxLimitPerSecond} requests per second.");
        }
    }

    /// <summary>
    /// Truncates a penalty TTL to whole minutes, as the Fastly Rust SDK documents, then requires
    /// 1 to 60 minutes. So 90 s becomes 1 minute, and 59 s (0 minutes) is rejected.
    /// </summary>
    public static TimeSpan NormalizePenaltyTtl(TimeSpan ttl, string parameterName)
    {
        var truncated = TimeSpan.FromTicks(ttl.Ticks - (ttl.Ticks % TimeSpan.TicksPerMinute));
        if (truncated < MinPenaltyTtl || truncated > MaxPenaltyTtl)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                ttl,
                $"Penalty TTL must be between 1 and 60 minutes after truncation to whole minutes; {ttl} truncates to {truncated.TotalMinutes} minutes.");
        }

        return truncated;
    }
}
