namespace Gatehouse.Balancer.StickTables;

/// <summary>Export and import of a rate counter's state, so another node can read the rate as it decays.</summary>
internal partial struct FreqCounter
{
    /// <summary>The start of the current period (table-clock milliseconds) and the counts of the current and previous periods.</summary>
    public readonly (long PeriodStart, long Current, long Previous) State => (_periodStart, _current, _previous);

    /// <summary>Returns a counter with the given state, where <paramref name="periodStart"/> is on the reading table's clock.</summary>
    public static FreqCounter FromState(long periodStart, long current, long previous) =>
        new() { _periodStart = periodStart, _current = current, _previous = previous };
}
