using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The stick-table state of one request, kept as an HttpContext feature: the configuration's tables, the table
/// of the proxy whose rules run now (the default for `track-sc` and `src_*` without `table`), and the counters.
/// The request pipeline sets it only when the configuration declares tables.
/// </summary>
internal sealed class StickRequestState
{
    private StickCounters? _counters;

    public StickRequestState(StickTableRegistry registry, StickTable? currentTable)
    {
        Registry = registry;
        CurrentTable = currentTable;
    }

    public StickTableRegistry Registry { get; }

    /// <summary>The frontend's table while frontend rules run, then the backend's; null when that proxy has none.</summary>
    public StickTable? CurrentTable { get; set; }

    /// <summary>The sticky counters, created by the first `track-sc` rule; null while nothing is tracked.</summary>
    public StickCounters? Counters => _counters;

    public StickCounters GetOrCreateCounters() => _counters ??= new StickCounters();

    public static StickRequestState? From(HttpContext http) => http.Features.Get<StickRequestState>();

    /// <summary>Returns the named table, or <see cref="CurrentTable"/> when <paramref name="name"/> is null.</summary>
    public StickTable? Resolve(string? name) => name is null ? CurrentTable : Registry.Find(name);
}
