using System.Runtime.CompilerServices;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The sticky counters sc0, sc1 and sc2 of one request: which entry of which table each tracks. Created when
/// the first `track-sc` rule of a request runs, and released by <see cref="Release"/> when the response ends.
/// </summary>
internal sealed class StickCounters
{
    /// <summary>HAProxy's default number of sticky counters (tune.stick-counters), sc0 to sc2.</summary>
    public const int SlotCount = 3;

    private Slots _slots;

    [InlineArray(SlotCount)]
    private struct Slots
    {
        private TrackedEntry _element;
    }

    /// <summary>Returns the table and entry tracked by counter <paramref name="slot"/>, or default when it tracks nothing.</summary>
    public TrackedEntry this[int slot] => _slots[slot];

    public bool IsTracked(int slot) => _slots[slot].Entry is not null;

    /// <summary>
    /// Starts tracking <paramref name="key"/> of <paramref name="table"/> in counter <paramref name="slot"/> and counts
    /// the connection and the HTTP request, as HAProxy's `http-request track-scN` does. Does nothing when the
    /// counter already tracks an entry: the first matching track rule wins. Returns false when nothing was tracked.
    /// </summary>
    public bool Track(int slot, StickTable table, string key, bool countHttpRequest)
    {
        if (IsTracked(slot) || table.GetOrCreate(key) is not { } entry)
        {
            return false;
        }

        entry.AddReference();
        _slots[slot] = new TrackedEntry(table, entry);
        table.Add(entry, StickDataType.ConnCur, 1);
        table.Add(entry, StickDataType.ConnCnt, 1);
        table.Add(entry, StickDataType.ConnRate, 1);
        if (countHttpRequest)
        {
            table.Add(entry, StickDataType.HttpReqCnt, 1);
            table.Add(entry, StickDataType.HttpReqRate, 1);
        }

        return true;
    }

    /// <summary>Counts a response status in every tracked entry: any 4xx is an error, any 5xx but 501 and 505 a failure.</summary>
    public void CountStatus(int status)
    {
        if (status is >= 400 and < 500)
        {
            AddToAll(StickDataType.HttpErrCnt, StickDataType.HttpErrRate, 1);
        }
        else if (status is >= 500 and < 600 and not 501 and not 505)
        {
            AddToAll(StickDataType.HttpFailCnt, StickDataType.HttpFailRate, 1);
        }
    }

    /// <summary>Counts a request the balancer denied (`http-request deny`) as an HTTP error, as HAProxy does.</summary>
    public void CountDenied() => AddToAll(StickDataType.HttpErrCnt, StickDataType.HttpErrRate, 1);

    /// <summary>Adds the request and response sizes, counted once when the response ends.</summary>
    public void CountBytes(long bytesIn, long bytesOut)
    {
        AddToAll(StickDataType.BytesInCnt, StickDataType.BytesInRate, bytesIn);
        AddToAll(StickDataType.BytesOutCnt, StickDataType.BytesOutRate, bytesOut);
    }

    /// <summary>Ends tracking: lowers conn_cur, refreshes each entry's expiry and drops the references. Safe to call twice.</summary>
    public void Release()
    {
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (_slots[slot] is { Entry: { } entry, Table: { } table })
            {
                table.Add(entry, StickDataType.ConnCur, -1);
                entry.RemoveReference();
                _slots[slot] = default;
            }
        }
    }

    private void AddToAll(StickDataType counter, StickDataType rate, long amount)
    {
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (_slots[slot] is { Entry: { } entry, Table: { } table })
            {
                table.Add(entry, counter, amount);
                table.Add(entry, rate, amount);
            }
        }
    }
}

/// <summary>A table entry tracked by one sticky counter; both are null when the counter tracks nothing.</summary>
internal readonly record struct TrackedEntry(StickTable? Table, StickEntry? Entry);
