namespace Gatehouse.Balancer.StickTables;

/// <summary>Reading and updating stored values, and the change feed.</summary>
public sealed partial class StickTable
{
    private StickWatch[] _watches = [];

    /// <summary>
    /// Calls <paramref name="onCrossed"/> each time an update lifts <paramref name="type"/> of an entry from below
    /// <paramref name="threshold"/> to <paramref name="threshold"/> or above. It runs on the request's thread after
    /// the entry's lock is released, so it must return quickly. Updates cost one array-length check while
    /// nothing watches the type. Dispose the result to stop watching.
    /// </summary>
    public IDisposable Watch(StickDataType type, long threshold, Action<StickTableChange> onCrossed)
    {
        if (!Stores(type))
        {
            throw new ArgumentException($"table '{Name}' does not store {type.Name()}", nameof(type));
        }

        var watch = new StickWatch(this, type, threshold, onCrossed);
        lock (_membership)
        {
            _watches = [.. _watches, watch];
        }

        return watch;
    }

    /// <summary>Returns the value of <paramref name="type"/> now, or null when the table does not store it.</summary>
    internal long? Read(StickEntry entry, StickDataType type)
    {
        var slot = _slotOf[(int)type];
        if (slot < 0)
        {
            return null;
        }

        var now = NowMs;
        lock (entry.Sync)
        {
            return ReadLocked(entry, slot, now);
        }
    }

    /// <summary>Adds <paramref name="amount"/> to a counter or rate, if stored, and refreshes the entry's expiry.</summary>
    internal void Add(StickEntry entry, StickDataType type, long amount)
    {
        var slot = _slotOf[(int)type];
        var now = NowMs;
        long before = 0;
        long after = 0;
        lock (entry.Sync)
        {
            Touch(entry, now);
            if (slot < 0)
            {
                return;
            }

            var watched = HasWatch(type);
            before = watched ? ReadLocked(entry, slot, now) : 0;
            AddLocked(entry, slot, now, amount);
            MarkChanged(entry, slot);
            after = watched ? ReadLocked(entry, slot, now) : 0;
        }

        if (after > before)
        {
            Notify(entry, type, before, after);
        }
    }

    /// <summary>Sets a stored value, as `sc-set-gpt0` and `set table` do; returns false when the type is not stored.</summary>
    internal bool Set(StickEntry entry, StickDataType type, long value)
    {
        var slot = _slotOf[(int)type];
        var now = NowMs;
        long before;
        lock (entry.Sync)
        {
            Touch(entry, now);
            if (slot < 0)
            {
                return false;
            }

            before = ReadLocked(entry, slot, now);
            if (type.Kind() == StickDataKind.Rate)
            {
                entry.Rates[slot].Set(now, Definition.Stored[slot].PeriodMs, value);
            }
            else
            {
                entry.Values[slot] = value;
            }

            MarkChanged(entry, slot);
        }

        if (value > before && HasWatch(type))
        {
            Notify(entry, type, before, value);
        }

        return true;
    }

    /// <summary>Reads every stored value of an entry at one instant, in store order.</summary>
    internal StickDataValue[] Snapshot(StickEntry entry)
    {
        var values = new StickDataValue[Definition.Stored.Count];
        var now = NowMs;
        lock (entry.Sync)
        {
            for (var slot = 0; slot < values.Length; slot++)
            {
                var stored = Definition.Stored[slot];
                values[slot] = new StickDataValue(stored.Type, stored.PeriodMs, ReadLocked(entry, slot, now));
            }
        }

        return values;
    }

    /// <summary>Milliseconds until the entry expires, as `show table` prints after "exp="; 0 without `expire`.</summary>
    internal long RemainingMs(StickEntry entry) => _expireMs > 0 ? Math.Max(0, entry.ExpiresAt - NowMs) : 0;

    internal void Touch(StickEntry entry) => Touch(entry, NowMs);

    private void Touch(StickEntry entry, long now)
    {
        entry.TouchedAt = now;
        entry.ExpiresAt = ExpiryFrom(now);
    }

    // With `peers`, the other nodes' last published part is added to this node's own value.
    private long ReadLocked(StickEntry entry, int slot, long now)
    {
        var local = ReadLocalLocked(entry, slot, now);
        if (entry.Remote is not { } remote)
        {
            return local;
        }

        var stored = Definition.Stored[slot];
        return local + remote.Read(slot, stored.Type.Kind(), now, stored.PeriodMs);
    }

    private long ReadLocalLocked(StickEntry entry, int slot, long now)
    {
        var stored = Definition.Stored[slot];
        return stored.Type.Kind() == StickDataKind.Rate ? entry.Rates[slot].Read(now, stored.PeriodMs) : entry.Values[slot];
    }

    private void AddLocked(StickEntry entry, int slot, long now, long amount)
    {
        var stored = Definition.Stored[slot];
        if (stored.Type.Kind() == StickDataKind.Rate)
        {
            entry.Rates[slot].Add(now, stored.PeriodMs, amount);
        }
        else
        {
            // HAProxy counters are unsigned; a gauge such as conn_cur never goes below zero.
            entry.Values[slot] = Math.Max(0, entry.Values[slot] + amount);
        }
    }

    private bool HasWatch(StickDataType type)
    {
        foreach (var watch in Volatile.Read(ref _watches))
        {
            if (watch.Type == type)
            {
                return true;
            }
        }

        return false;
    }

    private void Notify(StickEntry entry, StickDataType type, long before, long after)
    {
        StickTableChange? change = null;
        foreach (var watch in Volatile.Read(ref _watches))
        {
            if (watch.Type == type && before < watch.Threshold && after >= watch.Threshold)
            {
                change ??= new StickTableChange(Name, entry.Key, type, after, Snapshot(entry));
                watch.Report(change);
            }
        }
    }

    internal void Unwatch(StickWatch watch)
    {
        lock (_membership)
        {
            _watches = [.. _watches.Where(existing => existing != watch)];
        }
    }
}
