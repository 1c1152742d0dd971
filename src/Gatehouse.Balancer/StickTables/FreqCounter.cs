namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// An event rate over a sliding period, kept the way HAProxy 2.6's freq_ctr keeps it: the count of the
/// current period plus the count of the previous one, which is weighted by the part of the previous period
/// still inside the sliding window. A rate therefore falls to zero two periods after the start of the
/// period that saw the last event, at most. Times are milliseconds on the owning table's clock.
/// Not thread-safe; <see cref="StickEntry"/> serializes access.
/// </summary>
internal partial struct FreqCounter
{
    private long _periodStart;
    private long _current;
    private long _previous;

    /// <summary>Adds <paramref name="increment"/> events at <paramref name="now"/>.</summary>
    public void Add(long now, long period, long increment)
    {
        Rotate(now, period);
        _current += increment;
    }

    /// <summary>Returns the events per period: the current count plus the weighted previous count, rounded down.</summary>
    public readonly long Read(long now, long period)
    {
        var current = _current;
        var previous = _previous;
        var remaining = _periodStart + period - now;
        if (remaining < 0)
        {
            // The current period has ended: it becomes the previous one, unless that too is over.
            remaining += period;
            previous = remaining >= 0 ? current : 0;
            current = 0;
        }

        if (remaining <= 0)
        {
            return current;
        }

        return current + (long)((UInt128)(ulong)previous * (ulong)remaining / (ulong)period);
    }

    /// <summary>Sets the rate so that it reads <paramref name="value"/> now, as `set table ... data.X_rate` does.</summary>
    public void Set(long now, long period, long value)
    {
        Rotate(now, period);
        _current = value;
        _previous = 0;
    }

    private void Rotate(long now, long period)
    {
        var elapsed = now - _periodStart;
        if (elapsed < period)
        {
            return;
        }

        if (elapsed < 2 * period)
        {
            _previous = _current;
            _periodStart += period;
        }
        else
        {
            // Idle for two periods or more: nothing of the old periods remains in the window.
            _previous = 0;
            _periodStart = now;
        }

        _current = 0;
    }
}
