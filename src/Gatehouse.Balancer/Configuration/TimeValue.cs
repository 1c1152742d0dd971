using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses HAProxy time values: a number with an optional unit us, ms, s, m, h or d; no unit means ms.</summary>
internal static class TimeValue
{
    public const string Expected = "a time such as 30s or 500ms (units us, ms, s, m, h, d; no unit means ms)";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0
            || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long? microsecondsPerUnit = text[digits..] switch
        {
            "us" => 1,
            "" or "ms" => 1_000,
            "s" => 1_000_000,
            "m" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            _ => null,
        };
        if (microsecondsPerUnit is not { } unit || number > TimeSpan.MaxValue.Ticks / 10 / unit)
        {
            return false;
        }

        value = TimeSpan.FromMicroseconds(number * unit);
        return true;
    }
}
