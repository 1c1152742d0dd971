namespace Gatehouse.Balancer.Stats;

/// <summary>
/// A sliding average over about the last 1024 samples, as HAProxy computes qtime, rtime and ttime: each sample
/// moves the average by 1/N of its distance, where N grows with the sample count up to 1024.
/// </summary>
internal sealed class TimeAverage
{
    private const int Window = 1024;

    private readonly Lock _lock = new();
    private double _averageTicks;
    private int _samples;

    public TimeSpan Average
    {
        get
        {
            lock (_lock)
            {
                return TimeSpan.FromTicks((long)_averageTicks);
            }
        }
    }

    public void Add(TimeSpan sample)
    {
        lock (_lock)
        {
            _samples = Math.Min(_samples + 1, Window);
            _averageTicks += (sample.Ticks - _averageTicks) / _samples;
        }
    }
}
