using System.Diagnostics;

namespace Gatehouse.Telemetry.Tracing;

/// <summary>
/// A W3C Trace Context <c>traceparent</c> value: version, trace id, parent span id and trace flags.
/// Parsing is strict, because a value the gateway cannot read exactly must start a new trace rather
/// than be forwarded as sent.
/// </summary>
public readonly record struct TraceParent(ActivityTraceId TraceId, ActivitySpanId SpanId, ActivityTraceFlags Flags)
{
    /// <summary>Length of a version 00 value: 2 + 1 + 32 + 1 + 16 + 1 + 2.</summary>
    public const int Length = 55;

    /// <summary>
    /// Parses <paramref name="value"/>. Rejects a wrong length, version <c>ff</c>, uppercase or non-hex
    /// digits, misplaced dashes and all-zero trace or span ids. A version above 00 may carry more fields
    /// after a dash, as the specification allows; they are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TraceParent result)
    {
        result = default;
        if (value.Length < Length || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return false;
        }

        var version = value[..2];
        if (!IsLowerHex(version) || version.SequenceEqual("ff"))
        {
            return false;
        }

        // Version 00 has exactly four fields. A later version may append fields after another dash.
        if (version.SequenceEqual("00") ? value.Length != Length : value.Length > Length && value[Length] != '-')
        {
            return false;
        }

        var traceId = value.Slice(3, 32);
        var spanId = value.Slice(36, 16);
        var flags = value.Slice(53, 2);
        if (!IsLowerHex(traceId) || !IsLowerHex(spanId) || !IsLowerHex(flags) || IsAllZero(traceId) || IsAllZero(spanId))
        {
            return false;
        }

        result = new TraceParent(
            ActivityTraceId.CreateFromString(traceId),
            ActivitySpanId.CreateFromString(spanId),
            // Only the sampled bit is defined for version 00, so the others are not passed on.
            (HexValue(flags[1]) & 0x01) != 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None);
        return true;
    }

    /// <summary>Formats the value as version 00, the only version this gateway sends.</summary>
    public override string ToString() =>
        string.Create(Length, this, static (span, parent) =>
        {
            "00-".CopyTo(span);
            parent.TraceId.ToHexString().CopyTo(span[3..]);
            span[35] = '-';
            parent.SpanId.ToHexString().CopyTo(span[36..]);
            span[52] = '-';
            span[53] = '0';
            span[54] = (parent.Flags & ActivityTraceFlags.Recorded) != 0 ? '1' : '0';
        });

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'a' + 10;

    private static bool IsAllZero(ReadOnlySpan<char> text) => !text.ContainsAnyExcept('0');
}
