using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The stick-counter sample fetches, generated from one list of counters: `sc_X(N[,table])`,
/// `sc0_X([table])` to `sc2_X([table])`, `src_X([table])`, plus `table_cnt([table])` and `table_avl([table])`.
/// Their default match method is integer, except `sc*_tracked`, which is boolean.
/// </summary>
internal static class StickFetchCatalog
{
    private static readonly (string Suffix, StickFetchOperation Operation, StickDataType Data, StickDataType? Rate)[] Counters =
    [
        ("conn_cnt", StickFetchOperation.Get, StickDataType.ConnCnt, null),
        ("conn_cur", StickFetchOperation.Get, StickDataType.ConnCur, null),
        ("conn_rate", StickFetchOperation.Get, StickDataType.ConnRate, null),
        ("sess_cnt", StickFetchOperation.Get, StickDataType.SessCnt, null),
        ("sess_rate", StickFetchOperation.Get, StickDataType.SessRate, null),
        ("http_req_cnt", StickFetchOperation.Get, StickDataType.HttpReqCnt, null),
        ("http_req_rate", StickFetchOperation.Get, StickDataType.HttpReqRate, null),
        ("http_err_cnt", StickFetchOperation.Get, StickDataType.HttpErrCnt, null),
        ("http_err_rate", StickFetchOperation.Get, StickDataType.HttpErrRate, null),
        ("http_fail_cnt", StickFetchOperation.Get, StickDataType.HttpFailCnt, null),
        ("http_fail_rate", StickFetchOperation.Get, StickDataType.HttpFailRate, null),
        ("bytes_in_rate", StickFetchOperation.Get, StickDataType.BytesInRate, null),
        ("bytes_out_rate", StickFetchOperation.Get, StickDataType.BytesOutRate, null),
        ("get_gpc0", StickFetchOperation.Get, StickDataType.Gpc0, null),
        ("get_gpc1", StickFetchOperation.Get, StickDataType.Gpc1, null),
        ("get_gpt0", StickFetchOperation.Get, StickDataType.Gpt0, null),
        ("gpc0_rate", StickFetchOperation.Get, StickDataType.Gpc0Rate, null),
        ("gpc1_rate", StickFetchOperation.Get, StickDataType.Gpc1Rate, null),
        ("inc_gpc0", StickFetchOperation.Increment, StickDataType.Gpc0, StickDataType.Gpc0Rate),
        ("inc_gpc1", StickFetchOperation.Increment, StickDataType.Gpc1, StickDataType.Gpc1Rate),
        ("clr_gpc0", StickFetchOperation.Clear, StickDataType.Gpc0, null),
        ("clr_gpc1", StickFetchOperation.Clear, StickDataType.Gpc1, null),
        ("tracked", StickFetchOperation.Tracked, StickDataType.ConnCnt, null),
        ("trackers", StickFetchOperation.Trackers, StickDataType.ConnCnt, null),
    ];

    private static readonly Dictionary<string, Func<string?, List<string>, SampleFetch?>> ByName = Build();

    /// <summary>Every fetch name, for "did you mean" hints.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>True when <paramref name="name"/> is a stick-counter fetch.</summary>
    public static bool Contains(string name) => ByName.ContainsKey(name);

    /// <summary>The match method an ACL uses when none is given.</summary>
    public static MatchMethod DefaultMatch(string name) =>
        name.EndsWith("_tracked", StringComparison.Ordinal) ? MatchMethod.Boolean : MatchMethod.Integer;

    /// <summary>
    /// Builds the fetch <paramref name="name"/> with the text between its parentheses, or null when it had none.
    /// Returns null and adds to <paramref name="problems"/> when the arguments are invalid.
    /// </summary>
    public static SampleFetch? Create(string name, string? argument, List<string> problems) => ByName[name](argument, problems);

    private static Dictionary<string, Func<string?, List<string>, SampleFetch?>> Build()
    {
        var all = new Dictionary<string, Func<string?, List<string>, SampleFetch?>>(StringComparer.Ordinal);
        foreach (var (suffix, operation, data, rate) in Counters)
        {
            all[$"sc_{suffix}"] = (argument, problems) => CreateIndexed(suffix, argument, problems, operation, data, rate);
            for (var counter = 0; counter < StickCounters.SlotCount; counter++)
            {
                var fixedCounter = counter;
                all[$"sc{counter}_{suffix}"] = (argument, problems) =>
                    OptionalTable($"sc{fixedCounter}_{suffix}", argument, problems) is { } table
                        ? new StickFetch(fixedCounter, table.Name, operation, data, rate)
                        : null;
            }

            if (operation is not (StickFetchOperation.Tracked or StickFetchOperation.Trackers))
            {
                all[$"src_{suffix}"] = (argument, problems) =>
                    OptionalTable($"src_{suffix}", argument, problems) is { } table
                        ? new StickFetch(StickFetch.SourceAddress, table.Name, operation, data, rate)
                        : null;
            }
        }

        all["table_cnt"] = (argument, problems) =>
            OptionalTable("table_cnt", argument, problems) is { } table ? new TableSizeFetch(table.Name, available: false) : null;
        all["table_avl"] = (argument, problems) =>
            OptionalTable("table_avl", argument, problems) is { } table ? new TableSizeFetch(table.Name, available: true) : null;
        return all;
    }

    private static StickFetch? CreateIndexed(
        string suffix, string? argument, List<string> problems, StickFetchOperation operation, StickDataType data, StickDataType? rate)
    {
        var parts = (argument ?? "").Split(',');
        if (parts.Length > 2 || !int.TryParse(parts[0], out var counter) || counter < 0 || counter >= StickCounters.SlotCount)
        {
            problems.Add($"sample fetch 'sc_{suffix}' expects a sticky counter number from 0 to {StickCounters.SlotCount - 1} "
                + $"and an optional table, such as sc_{suffix}(0) or sc_{suffix}(0,st_src), got '({argument})'");
            return null;
        }

        var table = parts.Length == 2 ? parts[1] : null;
        if (table is "")
        {
            problems.Add($"sample fetch 'sc_{suffix}({argument})' has an empty table name");
            return null;
        }

        return new StickFetch(counter, table, operation, data, rate);
    }

    private static OptionalName? OptionalTable(string fetch, string? argument, List<string> problems)
    {
        if (argument is not null && (argument.Length == 0 || argument.Contains(',', StringComparison.Ordinal)))
        {
            problems.Add($"sample fetch '{fetch}' takes at most one argument, a table name, such as {fetch}(st_src), got '({argument})'");
            return null;
        }

        return new OptionalName(argument);
    }

    private sealed record OptionalName(string? Name);
}

/// <summary>`table_cnt([table])` and `table_avl([table])`: the entries used, or the entries still free.</summary>
internal sealed class TableSizeFetch(string? table, bool available) : IntegerFetchBase
{
    protected override long? Read(SampleContext context)
    {
        if (StickRequestState.From(context.Http)?.Resolve(table) is not { } found)
        {
            return null;
        }

        return available ? Math.Max(0, found.Definition.Size - found.Count) : found.Count;
    }

    public string? TableName => table;
}

/// <summary>A fetch with one integer value computed per request.</summary>
internal abstract class IntegerFetchBase : SampleFetch
{
    public override SampleType Type => SampleType.Integer;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher) => Read(context) is { } value && matcher.MatchInteger(value);

    public override string? FetchString(SampleContext context) => Read(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected abstract long? Read(SampleContext context);
}
