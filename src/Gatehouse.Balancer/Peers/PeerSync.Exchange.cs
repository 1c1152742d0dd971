using System.Globalization;
using Gatehouse.Balancer.StickTables;
using StackExchange.Redis;

namespace Gatehouse.Balancer.Peers;

/// <summary>One exchange of <see cref="PeerSync"/>: a pipeline of one script call per live entry.</summary>
internal sealed partial class PeerSync
{
    /// <summary>The most entries one exchange sends, which bounds the pipeline's size.</summary>
    public const int MaxEntriesPerFlush = 10_000;

    private static readonly long NoExpireTtlMs = (long)TimeSpan.FromHours(24).TotalMilliseconds;

    // KEYS[1] is the entry's hash. ARGV: TTL in ms, the number N of plain field/value pairs, and N pairs of this
    // node's own fields. Then come tag quadruples (field, write time, node, value). A quadruple replaces the stored
    // tag only when written later, and a tie goes to the greater node id. Returns the whole hash.
    private const string ExchangeScript = """
        local n = tonumber(ARGV[2])
        local i = 3
        for k = 1, n do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          i = i + 2
        end
        while i + 3 <= #ARGV do
          local stamp = tonumber(ARGV[i + 1])
          local node = ARGV[i + 2]
          local current = redis.call('HGET', KEYS[1], ARGV[i])
          local write = true
          if current then
            local s, c = string.match(current, '^(%d+)|([^|]*)|')
            s = tonumber(s)
            if s and (s > stamp or (s == stamp and c >= node)) then
              write = false
            end
          end
          if write then
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. '|' .. node .. '|' .. ARGV[i + 3])
          end
          i = i + 4
        end
        if #ARGV > 2 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return redis.call('HGETALL', KEYS[1])
        """;

    /// <summary>Publishes changed entries and reads every node's values of the live entries, now; never throws for Redis errors.</summary>
    internal async Task ExchangeAsync()
    {
        if (_redis is not { } redis)
        {
            return;
        }

        if (!redis.IsConnected)
        {
            ReportFailure(null);
            return;
        }

        var batch = redis.GetDatabase().CreateBatch();
        var sent = new List<(StickTable Table, StickEntry Entry, bool Dirty, Task<RedisResult> Reply)>();
        foreach (var table in _tables)
        {
            // NOTE: entries beyond MaxEntriesPerFlush in one exchange are neither published nor refreshed.
            foreach (var entry in table.Entries.Take(MaxEntriesPerFlush - sent.Count))
            {
                var dirty = entry.TakeDirty();
                var arguments = dirty ? PublishArguments(table, entry) : [TtlMs(table), 0];
                sent.Add((table, entry, dirty, batch.ScriptEvaluateAsync(ExchangeScript, [KeyOf(table, entry)], arguments)));
            }
        }

        try
        {
            batch.Execute();
        }
        catch (RedisConnectionException exception)
        {
            ReportFailure(exception);
            RestoreDirty(sent.Where(item => item.Dirty).Select(item => item.Entry));
            return;
        }

        var failed = false;
        foreach (var (table, entry, dirty, reply) in sent)
        {
            try
            {
                Apply(table, entry, (RedisResult[]?)await reply ?? []);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                failed = true;
                ReportFailure(exception);
                RestoreDirty(dirty ? [entry] : []);
            }
        }

        if (!failed)
        {
            ReportSuccess();
        }
    }

    private static void RestoreDirty(IEnumerable<StickEntry> entries)
    {
        foreach (var entry in entries)
        {
            entry.MarkDirty();
        }
    }

    private RedisKey KeyOf(StickTable table, StickEntry entry) => $"{_options.KeyPrefix}st:{_section.Name}:{table.Name}:{entry.Key}";

    private static long TtlMs(StickTable table) =>
        table.Definition.Expire is { } expire ? (long)expire.TotalMilliseconds : NoExpireTtlMs;

    private RedisValue[] PublishArguments(StickTable table, StickEntry entry)
    {
        var plain = new List<RedisValue>();
        var tags = new List<RedisValue>();
        foreach (var value in table.ReadLocal(entry))
        {
            var name = value.Type.Name();
            switch (value.Type.Kind())
            {
                case StickDataKind.Counter:
                    plain.Add($"n|{NodeId}|{name}");
                    plain.Add(value.Value);
                    break;
                case StickDataKind.Rate:
                    plain.Add($"n|{NodeId}|{name}");
                    plain.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Stamp}|{value.Value}|{value.Previous}"));
                    break;
                case StickDataKind.Tag when value.Stamp > 0:
                    tags.AddRange([$"t|{name}", value.Stamp, NodeId, value.Value]);
                    break;
            }
        }

        return [TtlMs(table), plain.Count / 2, .. plain, .. tags];
    }

    private void Apply(StickTable table, StickEntry entry, RedisResult[] fields)
    {
        var share = new RemoteShare(table.Definition.Stored.Count);
        var tags = new List<(int Slot, long Value, long WrittenAt)>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var field = (string?)fields[i] ?? "";
            var text = (string?)fields[i + 1] ?? "";
            var parts = field.Split('|');
            if (parts is ["n", var node, var type] && node != NodeId && SlotOf(table, type) is { } slot)
            {
                AddNodeValue(table, share, slot, text);
            }
            else if (parts is ["t", var tagType] && SlotOf(table, tagType) is { } tagSlot
                && text.Split('|') is [var stamp, _, var value] && TryParse(stamp, out var writtenAt) && TryParse(value, out var number))
            {
                tags.Add((tagSlot, number, writtenAt));
            }
        }

        table.ApplyRemote(entry, share, tags);
    }

    private static void AddNodeValue(StickTable table, RemoteShare share, int slot, string text)
    {
        var kind = table.Definition.Stored[slot].Type.Kind();
        if (kind == StickDataKind.Counter && TryParse(text, out var count))
        {
            share.AddCount(slot, count);
        }
        else if (kind == StickDataKind.Rate && text.Split('|') is [var start, var current, var previous]
            && TryParse(start, out var startMs) && TryParse(current, out var currentCount) && TryParse(previous, out var previousCount))
        {
            share.AddRate(slot, FreqCounter.FromState(table.ToTableClock(startMs), currentCount, previousCount));
        }
    }

    private static int? SlotOf(StickTable table, string typeName) =>
        StickDataTypes.TryParse(typeName, out var type) && table.SlotOf(type) is var slot and >= 0 ? slot : null;

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
