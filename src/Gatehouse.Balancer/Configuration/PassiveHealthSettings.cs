namespace Gatehouse.Balancer.Configuration;

/// <summary>What `observe` watches in a server's traffic.</summary>
public enum ObserveMode
{
    /// <summary>Traffic does not change the server's health; HAProxy's `observe none` and its default.</summary>
    None,

    /// <summary>Only whether connections to the server succeed.</summary>
    Layer4,

    /// <summary>Connections and HTTP responses: invalid responses, timeouts and statuses other than 100-499, 501 and 505 are errors.</summary>
    Layer7,
}

/// <summary>What `on-error` does once `error-limit` consecutive errors were observed.</summary>
public enum OnErrorAction
{
    /// <summary>Runs the next check after `fastinter` instead of waiting the rest of `inter`.</summary>
    FastInterval,

    /// <summary>Counts one failed check, then runs the next check after `fastinter`. HAProxy's default.</summary>
    FailCheck,

    /// <summary>Leaves the server one failed check away from DOWN, counts that failed check and runs the next after `fastinter`.</summary>
    SuddenDeath,

    /// <summary>Marks the server DOWN at once; it needs `rise` passed checks to come back.</summary>
    MarkDown,
}

/// <summary>
/// A server's passive health: `observe MODE`, `error-limit N` and `on-error ACTION`. It acts only on a server with
/// `check`, because its actions move the same health counter the checks move.
/// </summary>
public sealed record PassiveHealthSettings(ObserveMode Mode, int ErrorLimit, OnErrorAction OnError)
{
    /// <summary>HAProxy's default `error-limit`: 10 consecutive errors.</summary>
    public const int DefaultErrorLimit = 10;

    /// <summary>The largest `error-limit` accepted, so the consecutive error count cannot overflow.</summary>
    public const int MaxErrorLimit = 1_000_000;

    /// <summary>The `on-error` and `observe` words, as the configuration spells them.</summary>
    public static readonly IReadOnlyDictionary<string, OnErrorAction> OnErrorNames = new Dictionary<string, OnErrorAction>(StringComparer.Ordinal)
    {
        ["fastinter"] = OnErrorAction.FastInterval,
        ["fail-check"] = OnErrorAction.FailCheck,
        ["sudden-death"] = OnErrorAction.SuddenDeath,
        ["mark-down"] = OnErrorAction.MarkDown,
    };

    public static readonly IReadOnlyDictionary<string, ObserveMode> ObserveNames = new Dictionary<string, ObserveMode>(StringComparer.Ordinal)
    {
        ["none"] = ObserveMode.None,
        ["layer4"] = ObserveMode.Layer4,
        ["layer7"] = ObserveMode.Layer7,
    };

    /// <summary>Returns the configuration word for an action, such as "mark-down".</summary>
    public static string Name(OnErrorAction action) => OnErrorNames.First(pair => pair.Value == action).Key;
}
