namespace Gatehouse.Telemetry.Tracing;

/// <summary>Checks a W3C Trace Context <c>tracestate</c> value before the gateway passes it on.</summary>
public static class TraceState
{
    /// <summary>Longest value passed on; W3C Trace Context lets a platform truncate beyond 512 characters.</summary>
    public const int MaxLength = 512;

    /// <summary>Most list members passed on, the limit W3C Trace Context sets.</summary>
    public const int MaxMembers = 32;

    /// <summary>
    /// Returns the combined value of the <c>tracestate</c> field lines, or null when it is empty, longer
    /// than <see cref="MaxLength"/>, has more than <see cref="MaxMembers"/> members, or a member that is
    /// not <c>key=value</c> in printable ASCII. A value that fails is dropped whole, never repaired.
    /// </summary>
    public static string? Sanitize(IReadOnlyList<string?> fieldLines)
    {
        var combined = fieldLines.Count switch
        {
            0 => null,
            1 => fieldLines[0],
            _ => string.Join(',', fieldLines),
        };
        if (string.IsNullOrWhiteSpace(combined) || combined.Length > MaxLength)
        {
            return null;
        }

        var members = 0;
        foreach (var range in combined.AsSpan().Split(','))
        {
            var member = combined.AsSpan()[range].Trim(" \t");
            if (member.IsEmpty)
            {
                continue;
            }

            var equals = member.IndexOf('=');
            if (++members > MaxMembers || equals <= 0 || equals == member.Length - 1 || !IsPrintable(member))
            {
                return null;
            }
        }

        return members == 0 ? null : combined;
    }

    private static bool IsPrintable(ReadOnlySpan<char> member)
    {
        foreach (var c in member)
        {
            if (c is < (char)0x20 or > (char)0x7e)
            {
                return false;
            }
        }

        return true;
    }
}
