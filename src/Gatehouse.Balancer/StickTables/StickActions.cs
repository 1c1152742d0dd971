using System.Globalization;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.StickTables;

/// <summary>`http-request track-scN KEY [table T]`: tracks the key in counter N unless that counter already tracks an entry.</summary>
internal sealed class TrackCounterRule : HttpRequestRule
{
    public required int Counter { get; init; }

    public required SampleExpression Key { get; init; }

    /// <summary>The `table` argument, or null for the table of the proxy that holds the rule.</summary>
    public string? TableName { get; init; }

    /// <summary>
    /// Whether tracking also counts an HTTP request (http_req_cnt, http_req_rate): true for `http-request` rules and
    /// `tcp-request content` rules in mode http, false for `tcp-request connection` rules and content rules in mode tcp.
    /// </summary>
    public bool CountsHttpRequest { get; set; } = true;

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        if (StickRequestState.From(context.Http) is not { } state || state.Resolve(TableName) is not { } table)
        {
            return RuleOutcome.Continue;
        }

        if (state.Counters?.IsTracked(Counter) == true)
        {
            return RuleOutcome.Continue;
        }

        // `src` is read as an address, so the common case needs no text parsing.
        var key = Key.Text == "src" && context.Source is { } source
            ? StickKeys.Normalize(table.Definition, source)
            : StickKeys.Normalize(table.Definition, Key.FetchString(context));
        if (key is not null)
        {
            state.GetOrCreateCounters().Track(Counter, table, key, CountsHttpRequest);
        }

        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request sc-inc-gpc0(N)` and `sc-inc-gpc1(N)`: increments the counter and its rate in the entry counter N tracks.</summary>
internal sealed class IncrementGpcRule : HttpRequestRule
{
    public required int Counter { get; init; }

    public required StickDataType Data { get; init; }

    public required StickDataType Rate { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        if (StickRequestState.From(context.Http)?.Counters?[Counter] is { Table: { } table, Entry: { } entry })
        {
            table.Add(entry, Data, 1);
            table.Add(entry, Rate, 1);
        }

        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request sc-set-gpt0(N) VALUE`: sets gpt0 of the entry counter N tracks to an integer or an expression's value.</summary>
internal sealed class SetGptRule : HttpRequestRule
{
    public required int Counter { get; init; }

    public long? Constant { get; init; }

    public SampleExpression? Expression { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        if (StickRequestState.From(context.Http)?.Counters?[Counter] is not { Table: { } table, Entry: { } entry })
        {
            return RuleOutcome.Continue;
        }

        var value = Constant ?? (long.TryParse(Expression!.FetchString(context), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var read)
            ? read
            : null);
        if (value is { } set)
        {
            table.Set(entry, StickDataType.Gpt0, set);
        }

        return RuleOutcome.Continue;
    }
}
