namespace Gatehouse.Balancer.Stats;

/// <summary>Request counters of one frontend, backend or server since the configuration was loaded.</summary>
internal sealed class ProxyCounters
{
    private long _current;
    private long _max;
    private long _total;
    private readonly long[] _statuses = new long[6];

    public long Current => Volatile.Read(ref _current);

    public long Max => Volatile.Read(ref _max);

    public long Total => Volatile.Read(ref _total);

    /// <summary>Responses by class: index 0 to 4 for 1xx to 5xx, 5 for any other status.</summary>
    public long StatusCount(int index) => Volatile.Read(ref _statuses[index]);

    public void Enter()
    {
        var current = Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
        long max;
        while (current > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, current, max) != max)
        {
        }
    }

    public void Leave(int status)
    {
        Interlocked.Decrement(ref _current);
        Record(status);
    }

    /// <summary>Counts a request that was not counted in with <see cref="Enter"/>, such as one a backend handled.</summary>
    public void Count(int status)
    {
        Interlocked.Increment(ref _total);
        Record(status);
    }

    /// <summary>Counts a `mode tcp` session, which has no status.</summary>
    public void CountSession() => Interlocked.Increment(ref _total);

    private void Record(int status)
    {
        var index = status is >= 100 and < 600 ? status / 100 - 1 : 5;
        Interlocked.Increment(ref _statuses[index]);
    }
}
