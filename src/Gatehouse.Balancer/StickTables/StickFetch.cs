using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.StickTables;

/// <summary>What a stick-counter fetch does with the entry it finds.</summary>
internal enum StickFetchOperation
{
    /// <summary>Returns a stored value, such as `sc_http_req_rate`.</summary>
    Get,

    /// <summary>Increments gpc0 or gpc1 (and its rate) and returns the new value, such as `sc_inc_gpc0`.</summary>
    Increment,

    /// <summary>Sets gpc0 or gpc1 to 0 and returns the value before, such as `sc_clr_gpc0`.</summary>
    Clear,

    /// <summary>Returns true when the counter tracks an entry (`sc_tracked`).</summary>
    Tracked,

    /// <summary>Returns how many requests in flight track the entry (`sc_trackers`).</summary>
    Trackers,
}

/// <summary>
/// An `sc_*`, `scN_*` or `src_*` fetch. As in HAProxy 2.6, an `sc` fetch has no value when its counter
/// tracks nothing. Any fetch has no value when the table does not store the data type.
/// A key missing from the table reads as 0.
/// </summary>
internal sealed class StickFetch : SampleFetch
{
    /// <summary>The counter number for <see cref="StickFetchOperation"/> on the source address instead of a counter.</summary>
    public const int SourceAddress = -1;

    private readonly int _counter;
    private readonly string? _table;
    private readonly StickFetchOperation _operation;
    private readonly StickDataType _data;
    private readonly StickDataType? _rate;

    public StickFetch(int counter, string? table, StickFetchOperation operation, StickDataType data, StickDataType? rate = null)
    {
        _counter = counter;
        _table = table;
        _operation = operation;
        _data = data;
        _rate = rate;
    }

    /// <summary>The table named in the fetch's arguments, or null for the tracked or current table.</summary>
    public string? TableName => _table;

    public override SampleType Type => _operation == StickFetchOperation.Tracked ? SampleType.Boolean : SampleType.Integer;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) =>
        Evaluate(context) is { } value && matcher.MatchInteger(value);

    public override string? FetchString(SampleContext context) =>
        Evaluate(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns the fetch's value, or null when it has none.</summary>
    public long? Evaluate(SampleContext context)
    {
        if (StickRequestState.From(context.Http) is not { } state)
        {
            return _operation == StickFetchOperation.Tracked ? 0 : null;
        }

        if (_operation == StickFetchOperation.Tracked)
        {
            return state.Counters?.IsTracked(_counter) == true ? 1 : 0;
        }

        var create = _operation == StickFetchOperation.Increment;
        if (!TryFindEntry(context, state, create, out var table, out var entry))
        {
            return null;
        }

        return _operation switch
        {
            StickFetchOperation.Trackers => entry?.References ?? 0,
            StickFetchOperation.Get => Get(table, entry),
            StickFetchOperation.Increment => Increment(table, entry),
            _ => Clear(table, entry),
        };
    }

    private bool TryFindEntry(SampleContext context, StickRequestState state, bool create, out StickTable table, out StickEntry? entry)
    {
        entry = null;
        string? key;
        if (_counter == SourceAddress)
        {
            table = state.Resolve(_table)!;
            key = table is null || context.Source is null ? null : StickKeys.Normalize(table.Definition, context.Source);
        }
        else
        {
            var tracked = state.Counters?[_counter] ?? default;
            table = (_table is null ? tracked.Table : state.Registry.Find(_table))!;
            if (tracked.Entry is null || table is null)
            {
                return false;
            }

            if (table == tracked.Table)
            {
                entry = tracked.Entry;
                return true;
            }

            key = StickKeys.Normalize(table.Definition, tracked.Entry.Key);
        }

        if (table is null || key is null)
        {
            return false;
        }

        entry = create ? table.GetOrCreate(key) : table.Lookup(key);
        return true;
    }

    private long? Get(StickTable table, StickEntry? entry)
    {
        if (!table.Stores(_data))
        {
            return null;
        }

        if (entry is null)
        {
            return 0;
        }

        return table.Read(entry, _data);
    }

    private long? Increment(StickTable table, StickEntry? entry)
    {
        if (!table.Stores(_data) && !(_rate is { } rateType && table.Stores(rateType)))
        {
            return null;
        }

        if (entry is null)
        {
            return 0;
        }

        table.Add(entry, _data, 1);
        if (_rate is { } rate)
        {
            table.Add(entry, rate, 1);
        }

        return table.Read(entry, _data) ?? 0;
    }

    private long? Clear(StickTable table, StickEntry? entry)
    {
        if (!table.Stores(_data))
        {
            return null;
        }

        if (entry is null)
        {
            return 0;
        }

        var before = table.Read(entry, _data) ?? 0;
        table.Set(entry, _data, 0);
        return before;
    }
}
