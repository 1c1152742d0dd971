namespace Gatehouse.Balancer.Stats;

/// <summary>Request counters of one frontend, backend or server since the configuration was loaded.</summary>
internal sealed class ProxyCounters
{
    private long _current;
    private long _max;
    private long _total;
    private readonly long[] _statuses = new long[6];
    private readonly long[] _events = new long[Enum.GetValues<ProxyEvent>().Length];
    private readonly TimeAverage _responseTime = new();
    private readonly TimeAverage _queueTime = new();
    private readonly TimeAverage _totalTime = new();

    public long Current => Volatile.Read(ref _current);

    public long Max => Volatile.Read(ref _max);

    public long Total => Volatile.Read(ref _total);

    /// <summary>Responses by class: index 0 to 4 for 1xx to 5xx, 5 for any other status.</summary>
    public long StatusCount(int index) => Volatile.Read(ref _statuses[index]);

    /// <summary>How many times <paramref name="kind"/> happened, such as bytes received or requests denied.</summary>
    public long EventCount(ProxyEvent kind) => Volatile.Read(ref _events[(int)kind]);

    /// <summary>The average time from forwarding the request to the response headers over about the last 1024 responses.</summary>
    public TimeSpan AverageResponseTime => _responseTime.Average;

    /// <summary>The average time spent in the backend queue over about the last 1024 requests.</summary>
    public TimeSpan AverageQueueTime => _queueTime.Average;

    /// <summary>The average time from accepting the request to the end of the response over about the last 1024 requests.</summary>
    public TimeSpan AverageTotalTime => _totalTime.Average;

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

    public void Add(ProxyEvent kind, long amount = 1)
    {
        if (amount != 0)
        {
            Interlocked.Add(ref _events[(int)kind], amount);
        }
    }

    /// <summary>Adds one request's timers; a negative time means that phase was not reached and is left out.</summary>
    public void AddTimes(TimeSpan queue, TimeSpan response, TimeSpan total)
    {
        if (queue >= TimeSpan.Zero)
        {
            _queueTime.Add(queue);
        }

        if (response >= TimeSpan.Zero)
        {
            _responseTime.Add(response);
        }

        _totalTime.Add(total);
    }

    private void Record(int status)
    {
        var index = status is >= 100 and < 600 ? status / 100 - 1 : 5;
        Interlocked.Increment(ref _statuses[index]);
    }
}

/// <summary>The per-proxy events counted beside sessions and statuses, each a column of HAProxy's statistics.</summary>
internal enum ProxyEvent
{
    /// <summary>Request bytes received from clients (bin).</summary>
    BytesIn,

    /// <summary>Response bytes sent to clients (bout).</summary>
    BytesOut,

    /// <summary>Requests denied by a rule (dreq).</summary>
    DeniedRequests,

    /// <summary>Requests that failed on the client side, such as an abort or an invalid request (ereq).</summary>
    RequestErrors,

    /// <summary>Connections to a server that failed or timed out (econ).</summary>
    ConnectionErrors,

    /// <summary>Responses that failed: broken, invalid or timed out after connecting (eresp).</summary>
    ResponseErrors,

    /// <summary>Attempts retried on a server (wretr).</summary>
    Retries,

    /// <summary>Retries moved to another server (wredis).</summary>
    Redispatches,
}
