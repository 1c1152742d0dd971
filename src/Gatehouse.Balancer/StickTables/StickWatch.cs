namespace Gatehouse.Balancer.StickTables;

/// <summary>A subscription made by <see cref="StickTable.Watch"/>; disposing it ends the subscription.</summary>
internal sealed class StickWatch : IDisposable
{
    private readonly StickTable _table;
    private readonly Action<StickTableChange> _onCrossed;

    public StickWatch(StickTable table, StickDataType type, long threshold, Action<StickTableChange> onCrossed)
    {
        _table = table;
        Type = type;
        Threshold = threshold;
        _onCrossed = onCrossed;
    }

    public StickDataType Type { get; }

    public long Threshold { get; }

    public void Report(StickTableChange change) => _onCrossed(change);

    public void Dispose() => _table.Unwatch(this);
}
