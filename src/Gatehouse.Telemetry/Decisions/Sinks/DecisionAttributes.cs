using System.Collections;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// The attributes of one decision record's OpenTelemetry log record: HTTP fields under their OpenTelemetry
/// semantic-convention names and Gatehouse's own fields under <c>gatehouse.*</c>, the same names the tier's
/// span carries. Null fields are left out. <see cref="Record"/> lets <see cref="DecisionLogRecordProcessor"/>
/// set the trace context and time from the record itself.
/// </summary>
internal sealed class DecisionAttributes : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _items = new(16);

    public DecisionAttributes(DecisionRecord record, string json)
    {
        Record = record;
        Json = json;
        Add("gatehouse.tier", record.Tier);
        Add("gatehouse.node", record.Node);
        Add("gatehouse.request_id", record.RequestId);
        Add("gatehouse.decision", record.Decision);
        Add("gatehouse.rule", record.Rule);
        Add("gatehouse.reason", record.Reason);
        Add("gatehouse.backend", record.Backend);
        Add("gatehouse.server", record.Server);
        Add("gatehouse.termination", record.Termination);
        Add("gatehouse.subject", record.Subject);
        Add("gatehouse.duration_ms", record.DurationMs);
        Add("http.request.method", record.Method);
        Add("url.path", record.Path);
        Add("http.response.status_code", record.Status);
        Add("client.address", record.Client);
    }

    public DecisionRecord Record { get; }

    /// <summary>The record's JSON, which becomes the log record's body.</summary>
    public string Json { get; }

    public int Count => _items.Count;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Json;

    private void Add(string key, object? value)
    {
        if (value is not null)
        {
            _items.Add(new(key, value));
        }
    }
}
