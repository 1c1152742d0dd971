namespace Gatehouse.Balancer.StickTables;

/// <summary>What sharing a table through `peers` needs: the changed mark, this node's own values and the other nodes' values.</summary>
public sealed partial class StickTable
{
    /// <summary>True when the table names a `peers` section that shares it through Redis.</summary>
    internal bool IsShared => Definition.Sharing is not null;

    /// <summary>Milliseconds since the Unix epoch, the clock that orders tag writes across nodes.</summary>
    internal long UnixNowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Returns the slot of a stored type, or -1 when the table does not store it.</summary>
    internal int SlotOf(StickDataType type) => _slotOf[(int)type];

    /// <summary>
    /// Reads this node's own part of every stored value, as published to the other nodes: counters and gauges as
    /// totals, rates as counter state with the period start in Unix milliseconds, and tags with their write time.
    /// </summary>
    internal LocalValue[] ReadLocal(StickEntry entry)
    {
        var now = NowMs;
        var unixOffset = UnixNowMs - now;
        var values = new LocalValue[Definition.Stored.Count];
        lock (entry.Sync)
        {
            for (var slot = 0; slot < values.Length; slot++)
            {
                var type = Definition.Stored[slot].Type;
                var (periodStart, current, previous) = entry.Rates[slot].State;
                values[slot] = type.Kind() switch
                {
                    StickDataKind.Rate => new LocalValue(type, current, periodStart + unixOffset, previous),
                    StickDataKind.Tag => new LocalValue(type, entry.Values[slot], entry.TagWrittenAt?[slot] ?? 0, 0),
                    _ => new LocalValue(type, entry.Values[slot], 0, 0),
                };
            }
        }

        return values;
    }

    /// <summary>
    /// Replaces the other nodes' part of an entry, and takes each tag value written later than this node's own write,
    /// so the last writer wins. A tag this node never wrote counts as written at time 0.
    /// </summary>
    internal void ApplyRemote(StickEntry entry, RemoteShare share, IEnumerable<(int Slot, long Value, long WrittenAt)> tags)
    {
        lock (entry.Sync)
        {
            entry.Remote = share;
            foreach (var (slot, value, writtenAt) in tags)
            {
                var stamps = entry.TagWrittenAt ??= new long[Definition.Stored.Count];
                if (writtenAt > stamps[slot])
                {
                    stamps[slot] = writtenAt;
                    entry.Values[slot] = value;
                }
            }
        }
    }

    /// <summary>Converts a Unix-millisecond time to this table's clock.</summary>
    internal long ToTableClock(long unixMs) => unixMs - (UnixNowMs - NowMs);

    // Called under the entry's lock after a local change.
    private void MarkChanged(StickEntry entry, int slot)
    {
        if (!IsShared)
        {
            return;
        }

        if (Definition.Stored[slot].Type.Kind() == StickDataKind.Tag)
        {
            var stamps = entry.TagWrittenAt ??= new long[Definition.Stored.Count];

            // Strictly later than any write seen, so a local write always replaces an adopted remote value.
            stamps[slot] = Math.Max(UnixNowMs, stamps[slot] + 1);
        }

        entry.MarkDirty();
    }
}

/// <summary>
/// This node's own part of one stored value. For rates <see cref="Value"/> is the current period's count,
/// <see cref="Stamp"/> the period start in Unix milliseconds and <see cref="Previous"/> the previous period's count;
/// for tags <see cref="Stamp"/> is the write time in Unix milliseconds; otherwise both are 0.
/// </summary>
internal readonly record struct LocalValue(StickDataType Type, long Value, long Stamp, long Previous);
