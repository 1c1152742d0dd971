using System.Text.Json.Serialization;

namespace Gatehouse.Telemetry.Decisions;

/// <summary>
/// One tier's account of one request: who asked, what was decided, by which rule, and how it ended.
/// The edge and the balancer each write one per request, joined by <see cref="RequestId"/>.
/// docs/decision-records.md documents every field; fields added to schema version 1 are optional, so
/// readers of version 1 keep working.
/// </summary>
public sealed class DecisionRecord
{
    /// <summary>Version of this schema; bumped when a field changes meaning or is removed.</summary>
    [JsonPropertyName("v")]
    public int SchemaVersion { get; init; } = 1;

    [JsonPropertyName("time")]
    public DateTimeOffset Time { get; init; }

    /// <summary>"edge" or "balancer".</summary>
    [JsonPropertyName("tier")]
    public required string Tier { get; init; }

    /// <summary>Name of the node (host or instance) that wrote the record, when several run.</summary>
    [JsonPropertyName("node")]
    public string? Node { get; init; }

    [JsonPropertyName("request_id")]
    public required string RequestId { get; init; }

    /// <summary>W3C trace id (32 lowercase hex characters) when the request carried or started a trace.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; set; }

    /// <summary>This tier's span id for the request (16 lowercase hex characters), the parent of its phase spans.</summary>
    [JsonPropertyName("span_id")]
    public string? SpanId { get; set; }

    [JsonPropertyName("client")]
    public string? Client { get; init; }

    [JsonPropertyName("method")]
    public string? Method { get; init; }

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>Authenticated subject; never the token itself.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("groups")]
    public IReadOnlyList<string>? Groups { get; set; }

    /// <summary>A/B variants assigned, such as <c>checkout=new;banner=control</c>.</summary>
    [JsonPropertyName("variant")]
    public string? Variant { get; set; }

    /// <summary>
    /// The action taken: allow, deny, limit, penalty, static, guest, forward, redirect or error.
    /// </summary>
    [JsonPropertyName("decision")]
    public required string Decision { get; set; }

    /// <summary>The rule that decided, such as "route /api/" or "haproxy.cfg:21 http-request deny".</summary>
    [JsonPropertyName("rule")]
    public string? Rule { get; set; }

    /// <summary>Why the rule decided as it did, such as "token expired".</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("backend")]
    public string? Backend { get; set; }

    [JsonPropertyName("server")]
    public string? Server { get; set; }

    [JsonPropertyName("status")]
    public int Status { get; set; }

    /// <summary>Request body bytes received from the client.</summary>
    [JsonPropertyName("bytes_in")]
    public long? BytesIn { get; set; }

    /// <summary>Response bytes sent to the client, headers excluded.</summary>
    [JsonPropertyName("bytes_out")]
    public long? BytesOut { get; set; }

    [JsonPropertyName("duration_ms")]
    public double DurationMs { get; set; }

    /// <summary>
    /// Milliseconds spent per phase, keyed by phase name such as <c>queue</c>, <c>connect</c> or
    /// <c>response</c>; docs/decision-records.md lists the names each tier uses.
    /// </summary>
    [JsonPropertyName("timings_ms")]
    public IDictionary<string, double>? TimingsMs { get; set; }

    /// <summary>
    /// Termination state: two characters, who ended the request and in which phase, as in HAProxy's
    /// logs (<c>--</c> for a normal end, <c>CD</c> for a client abort during data transfer).
    /// </summary>
    [JsonPropertyName("termination")]
    public string? Termination { get; set; }
}

[JsonSerializable(typeof(DecisionRecord))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class DecisionRecordJsonContext : JsonSerializerContext;
