using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Copies a decision record's trace id, span id and time onto its log record before the export processor sees it,
/// so backends join the record to the tier's span. The SDK would otherwise take them from
/// <see cref="Activity.Current"/>, which on the writer's background task is unrelated to the request.
/// </summary>
internal sealed class DecisionLogRecordProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.Attributes is not DecisionAttributes attributes)
        {
            return;
        }

        var record = attributes.Record;
        data.Body = attributes.Json;
        if (record.Time != default)
        {
            data.Timestamp = record.Time.UtcDateTime;
        }

        if (TryParseTraceContext(record, out var traceId, out var spanId))
        {
            data.TraceId = traceId;
            data.SpanId = spanId;
            data.TraceFlags = ActivityTraceFlags.Recorded;
        }
        else
        {
            data.TraceId = default;
            data.SpanId = default;
            data.TraceFlags = ActivityTraceFlags.None;
        }
    }

    private static bool TryParseTraceContext(DecisionRecord record, out ActivityTraceId traceId, out ActivitySpanId spanId)
    {
        traceId = default;
        spanId = default;
        if (record.TraceId is not { Length: 32 } trace || record.SpanId is not { Length: 16 } span
            || !IsHex(trace) || !IsHex(span))
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromString(trace);
        spanId = ActivitySpanId.CreateFromString(span);
        return true;
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigitLower);
}
