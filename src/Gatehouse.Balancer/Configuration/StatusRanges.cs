using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>A comma-separated list of status codes and ranges, such as "200-399,404", as `http-check expect status` takes.</summary>
internal static class StatusRanges
{
    public static bool TryParse(string text, out IReadOnlyList<(int Low, int High)> ranges)
    {
        var list = new List<(int, int)>();
        ranges = list;
        foreach (var part in text.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || !TryParseStatus(bounds[0], out var low))
            {
                return false;
            }

            var high = low;
            if (bounds.Length == 2 && (!TryParseStatus(bounds[1], out high) || high < low))
            {
                return false;
            }

            list.Add((low, high));
        }

        return true;
    }

    public static bool Contains(IReadOnlyList<(int Low, int High)> ranges, int status) =>
        ranges.Any(range => status >= range.Low && status <= range.High);

    private static bool TryParseStatus(string text, out int status) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
