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

    // Bit N is set when slot N was inherited from the connection, whose owner releases it when the connection ends.
    private int _inherited;

    // Requests that inherited this connection's counters; HTTP/2 streams may inherit concurrently.
    private int _requests;

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

    /// <summary>
    /// Shares the entries that `tcp-request connection` rules track for the whole connection with one HTTP request,
    /// counting the request in each (http_req_cnt, http_req_rate) as HAProxy does. <see cref="Release"/> leaves them
    /// to the connection.
    /// </summary>
    public void Inherit(StickCounters connection)
    {
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (IsTracked(slot) || connection._slots[slot] is not { Entry: { } entry, Table: { } table })
            {
                continue;
            }

            if (_inherited == 0)
            {
                Interlocked.Increment(ref connection._requests);
            }

            _slots[slot] = connection._slots[slot];
            _inherited |= 1 << slot;
            table.Add(entry, StickDataType.HttpReqCnt, 1);
            table.Add(entry, StickDataType.HttpReqRate, 1);
        }
    }

    /// <summary>
    /// Counts an HTTP connection that closed before its first request as one failed request (http_req_cnt and
    /// http_err_cnt), which HAProxy 2.6's HTTP/1 layer does for the entries its connection rules track.
    /// </summary>
    public void CountIfNoRequest()
    {
        if (Volatile.Read(ref _requests) == 0)
        {
            AddToAll(StickDataType.HttpReqCnt, StickDataType.HttpReqRate, 1);
            AddToAll(StickDataType.HttpErrCnt, StickDataType.HttpErrRate, 1);
        }
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
            if ((_inherited & (1 << slot)) != 0)
            {
                _slots[slot] = default;
            }
            else if (_slots[slot] is { Entry: { } entry, Table: { } table })
            {
                table.Add(entry, StickDataType.ConnCur, -1);
                entry.RemoveReference();
                _slots[slot] = default;
            }
        }

        _inherited = 0;
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
