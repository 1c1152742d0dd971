using StackExchange.Redis;

namespace Gatehouse.Signals.RateLimiting;

/// <summary>The flush of <see cref="RedisRateCounter"/>: one pipeline of one script call per entry.</summary>
public sealed partial class RedisRateCounter
{
    // KEYS[1] is the entry's hash. ARGV: oldest second kept, oldest tenth kept, key TTL in ms, then field and
    // delta pairs. Returns the kept fields and values as a flat list.
    private const string FlushScript = """
        for i = 4, #ARGV, 2 do
          redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        local all = redis.call('HGETALL', KEYS[1])
        local kept = {}
        local oldestSecond = tonumber(ARGV[1])
        local oldestTenth = tonumber(ARGV[2])
        for i = 1, #all, 2 do
          local field = all[i]
          local stamp = tonumber(string.sub(field, 2))
          local kind = string.sub(field, 1, 1)
          if stamp == nil or (kind == 's' and stamp < oldestSecond) or (kind == 't' and stamp < oldestTenth) then
            redis.call('HDEL', KEYS[1], field)
          else
            kept[#kept + 1] = field
            kept[#kept + 1] = all[i + 1]
          end
        end
        if #ARGV >= 4 then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return kept
        """;

    private async Task FlushOnceAsync()
    {
        var nowTenth = NowTenth();
        if (!_redis.IsConnected)
        {
            _health.ReportFailure(null);
            KeepUnsent(nowTenth);
            return;
        }

        var batch = _redis.GetDatabase().CreateBatch();
        var sent = new List<(SharedRateEntry Entry, Task<RedisResult> Reply)>();
        foreach (var shared in _entries.Values)
        {
            if (StartFlush(shared, nowTenth) is { } values)
            {
                sent.Add((shared, batch.ScriptEvaluateAsync(FlushScript, [_keyPrefix + "rc:" + shared.Key], values)));
            }
        }

        try
        {
            batch.Execute();
        }
        catch (RedisConnectionException ex)
        {
            // Execute throws before it sends anything when the connection drops after the IsConnected check.
            _health.ReportFailure(ex);
            foreach (var (shared, _) in sent)
            {
                lock (shared.Gate)
                {
                    shared.FailFlush(nowTenth);
                }
            }

            return;
        }

        foreach (var (shared, reply) in sent)
        {
            await CompleteFlushAsync(shared, reply, nowTenth);
        }
    }

    // Returns the script arguments, or null when the entry was idle and has been dropped.
    private RedisValue[]? StartFlush(SharedRateEntry shared, long nowTenth)
    {
        var nowSecond = nowTenth / 10;
        lock (shared.Gate)
        {
            if (nowSecond - shared.LastUseSecond > BucketCounts.KeptSeconds && !shared.HasUnsent)
            {
                shared.Removed = true;
                _entries.TryRemove(new KeyValuePair<string, SharedRateEntry>(shared.Key, shared));
                return null;
            }

            var values = new List<RedisValue>
            {
                nowSecond - BucketCounts.KeptSeconds + 1,
                nowTenth - BucketCounts.KeptTenths + 1,
                KeyTtlMilliseconds,
            };
            shared.StartFlush().AppendFields(values);
            return [.. values];
        }
    }

    private async Task CompleteFlushAsync(SharedRateEntry shared, Task<RedisResult> reply, long nowTenth)
    {
        try
        {
            var fields = (RedisResult[]?)await reply ?? [];
            var remote = BucketCounts.FromFields(fields);
            lock (shared.Gate)
            {
                shared.CompleteFlush(remote);
            }

            _health.ReportSuccess();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _health.ReportFailure(ex);
            lock (shared.Gate)
            {
                shared.FailFlush(nowTenth);
            }
        }
    }

    private void KeepUnsent(long nowTenth)
    {
        foreach (var shared in _entries.Values)
        {
            lock (shared.Gate)
            {
                shared.Pending.Prune(nowTenth);
                shared.Remote.Prune(nowTenth);
            }
        }
    }
}
