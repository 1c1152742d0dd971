using System.Text.Json.Serialization;

namespace Gatehouse.Signals.Feedback;

/// <summary>What a feedback signal's key identifies.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeedbackKeyKind>))]
public enum FeedbackKeyKind
{
    /// <summary>The downstream client's IP address.</summary>
    [JsonStringEnumMemberName("client_ip")]
    ClientIp,

    /// <summary>The authenticated subject (the token's <c>sub</c> claim).</summary>
    [JsonStringEnumMemberName("subject")]
    Subject,
}

/// <summary>What every edge node does with the key of a feedback signal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeedbackAction>))]
public enum FeedbackAction
{
    /// <summary>Add the key to the edge penalty box for the signal's TTL.</summary>
    [JsonStringEnumMemberName("penalty_box")]
    PenaltyBox,

    /// <summary>Apply the feedback rule's stricter rate limit to the key for the signal's TTL.</summary>
    [JsonStringEnumMemberName("rate_limit")]
    RateLimit,
}

/// <summary>
/// A stick table entry that matched a feedback rule, sent from the balancer (or a poller of a real HAProxy)
/// to every edge node: which table and key, what to do and for how long, and the counter value that matched.
/// </summary>
/// <param name="Table">Stick table name, as in the balancer configuration.</param>
/// <param name="KeyKind">What <paramref name="Key"/> identifies.</param>
/// <param name="Key">Client IP address or subject.</param>
/// <param name="Action">What edge nodes do with the key.</param>
/// <param name="Ttl">How long the action lasts.</param>
/// <param name="RuleName">Feedback rule that matched, for logs and decision records.</param>
/// <param name="CounterName">Stick table data type that matched, for example <c>http_req_rate</c>.</param>
/// <param name="CounterValue">Its value when the rule matched.</param>
public sealed record FeedbackSignal(
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("key_kind")] FeedbackKeyKind KeyKind,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("action")] FeedbackAction Action,
    [property: JsonPropertyName("ttl")] TimeSpan Ttl,
    [property: JsonPropertyName("rule")] string RuleName,
    [property: JsonPropertyName("counter")] string CounterName,
    [property: JsonPropertyName("value")] long CounterValue);

[JsonSerializable(typeof(FeedbackSignal))]
internal sealed partial class FeedbackSignalJsonContext : JsonSerializerContext;
