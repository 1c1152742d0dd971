using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Telemetry.Audit;

/// <summary>Parses the <c>--since</c> value: a duration back from now (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>) or an ISO 8601 time.</summary>
public static partial class SinceParser
{
    /// <summary>Returns the earliest time to include, or null with <paramref name="error"/> set when the value is invalid.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now, out string? error)
    {
        error = null;
        var match = DurationPattern().Match(text);
        if (match.Success)
        {
            var amount = long.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            var unit = match.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.FromDays(1),
            };
            return now - (unit * amount);
        }

        // Times without an offset are read as UTC, the zone of the records.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        error = $"invalid --since value '{text}': expected a duration such as 10m, 2h or 7d, or an ISO 8601 time " +
            "such as 2025-06-01T12:00:00Z";
        return null;
    }

    [GeneratedRegex("^(?<amount>[0-9]{1,6})(?<unit>[smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
