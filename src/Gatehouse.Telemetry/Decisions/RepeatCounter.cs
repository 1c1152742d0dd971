namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// Counts repeated events, such as drops, and lets the caller log them at most once per interval:
/// <see cref="TakeDue"/> returns the count since the last report once the interval has passed.
/// </summary>
internal sealed class RepeatCounter(TimeProvider time, TimeSpan interval)
{
    private const long NeverReported = long.MinValue;

    private long _total;
    private long _unreported;
    private long _lastReport = NeverReported;

    public long Total => Interlocked.Read(ref _total);

    public void Add(long count = 1)
    {
        Interlocked.Add(ref _total, count);
        Interlocked.Add(ref _unreported, count);
    }

    /// <summary>Returns the events counted since the last report when a report is due, otherwise 0.</summary>
    public long TakeDue()
    {
        if (Interlocked.Read(ref _unreported) == 0)
        {
            return 0;
        }

        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastReport);
        if (last != NeverReported && time.GetElapsedTime(last, now) < interval)
        {
            return 0;
        }

        // Only the thread that moves the report time forward reports, so two threads never log the same drops.
        if (Interlocked.CompareExchange(ref _lastReport, now, last) != last)
        {
            return 0;
        }

        return Interlocked.Exchange(ref _unreported, 0);
    }
}
