using StackExchange.Redis;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>
/// Event counts of one rate counter entry by Unix second and by tenth of a second, as stored in its Redis
/// hash: field <c>s{second}</c> or <c>t{tenth}</c>, value the count. Not thread-safe; callers lock.
/// </summary>
internal sealed class BucketCounts
{
    /// <summary>Seconds of history kept: the longest window, 60 s, plus the partial current second.</summary>
    public const long KeptSeconds = 61;

    /// <summary>Tenths of history kept: the 1 s window plus the partial current tenth.</summary>
    public const long KeptTenths = 11;

    private readonly Dictionary<long, long> _seconds = [];
    private readonly Dictionary<long, long> _tenths = [];

    public bool IsEmpty => _seconds.Count == 0 && _tenths.Count == 0;

    public void Add(long nowTenth, long delta)
    {
        Bump(_seconds, nowTenth / 10, delta);
        Bump(_tenths, nowTenth, delta);
    }

    public void AddAll(BucketCounts other)
    {
        foreach (var pair in other._seconds)
        {
            Bump(_seconds, pair.Key, pair.Value);
        }

        foreach (var pair in other._tenths)
        {
            Bump(_tenths, pair.Key, pair.Value);
        }
    }

    public long SumSeconds(long first, long last) => Sum(_seconds, first, last);

    public long SumTenths(long first, long last) => Sum(_tenths, first, last);

    /// <summary>Drops buckets too old for any window, so a long Redis outage cannot grow the counts.</summary>
    public void Prune(long nowTenth)
    {
        Drop(_seconds, (nowTenth / 10) - KeptSeconds);
        Drop(_tenths, nowTenth - KeptTenths);
    }

    /// <summary>Appends field and delta pairs in the order the flush script reads them.</summary>
    public void AppendFields(List<RedisValue> values)
    {
        foreach (var pair in _seconds)
        {
            values.Add("s" + pair.Key);
            values.Add(pair.Value);
        }

        foreach (var pair in _tenths)
        {
            values.Add("t" + pair.Key);
            values.Add(pair.Value);
        }
    }

    /// <summary>Reads the flat field, value list that the flush script returns; skips fields it does not know.</summary>
    public static BucketCounts FromFields(RedisResult[] fields)
    {
        var counts = new BucketCounts();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var field = (string?)fields[i];
            if (field is not { Length: > 1 } || !long.TryParse(field.AsSpan(1), out var stamp)
                || !long.TryParse((string?)fields[i + 1], out var count))
            {
                continue;
            }

            var target = field[0] switch
            {
                's' => counts._seconds,
                't' => counts._tenths,
                _ => null,
            };
            if (target is not null)
            {
                Bump(target, stamp, count);
            }
        }

        return counts;
    }

    private static void Bump(Dictionary<long, long> buckets, long stamp, long delta)
    {
        buckets[stamp] = buckets.GetValueOrDefault(stamp) + delta;
    }

    private static long Sum(Dictionary<long, long> buckets, long first, long last)
    {
        long total = 0;
        foreach (var pair in buckets)
        {
            if (pair.Key >= first && pair.Key <= last)
            {
                total += pair.Value;
            }
        }

        return total;
    }

    private static void Drop(Dictionary<long, long> buckets, long before)
    {
        foreach (var stamp in buckets.Keys.Where(stamp => stamp < before).ToList())
        {
            buckets.Remove(stamp);
        }
    }
}
