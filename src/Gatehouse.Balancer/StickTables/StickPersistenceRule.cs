using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.StickTables;

/// <summary>What a `stick` line does: look up the server for a key, store the server that served it, or both.</summary>
[Flags]
internal enum StickPersistenceKind
{
    Match = 1,
    StoreRequest = 2,
    On = Match | StoreRequest,

    /// <summary>`stick store-response`: stores the server under a key read from the response, such as res.cook(NAME).</summary>
    StoreResponse = 4,
}

/// <summary>
/// A `stick on|match|store-request|store-response PATTERN [table T] [if|unless COND]` line of a backend: server persistence
/// through the server_id stored in a stick table, keyed by a sample such as `src`.
/// </summary>
internal sealed class StickPersistenceRule
{
    public required StickPersistenceKind Kind { get; init; }

    public required SampleExpression Key { get; init; }

    /// <summary>The `table` argument, or null for the backend's own table.</summary>
    public string? TableName { get; init; }

    public Condition? Condition { get; init; }

    public required ConfigLocation Location { get; init; }

    public bool Matches => (Kind & StickPersistenceKind.Match) != 0;

    public bool Stores => (Kind & (StickPersistenceKind.StoreRequest | StickPersistenceKind.StoreResponse)) != 0;

    /// <summary>Returns the rule's table and the request's normalized key, or nulls when the rule does not apply.</summary>
    public (StickTable? Table, string? Key) Resolve(SampleContext context)
    {
        if (StickRequestState.From(context.Http)?.Resolve(TableName) is not { } table || !(Condition?.Evaluate(context) ?? true))
        {
            return (null, null);
        }

        var key = Key.Text == "src" && context.Source is { } source
            ? StickKeys.Normalize(table.Definition, source)
            : StickKeys.Normalize(table.Definition, Key.FetchString(context));
        return (key is null ? null : table, key);
    }
}
