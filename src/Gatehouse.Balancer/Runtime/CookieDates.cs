using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// The dates that `cookie ... maxidle|maxlife` adds to an inserted cookie value, as in `SRV=s1|LAST|FIRST`, in
/// Unix seconds, 0 when absent. HAProxy 2.6 writes each date as 5 base64 characters of a 30-bit count of
/// 4-second steps since the epoch, and Gatehouse reads and writes the same encoding.
/// </summary>
internal readonly record struct CookieDates(long Last, long First)
{
    public const char Delimiter = '|';

    /// <summary>A day, the furthest in the future a date may lie before the cookie is ignored, as in HAProxy.</summary>
    private const long MaxFutureSeconds = 86_400;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Reads the dates after the server value; <paramref name="dates"/> starts at the first '|'.</summary>
    public static CookieDates Parse(ReadOnlySpan<char> dates)
    {
        var rest = dates[1..];
        var last = rest.Length >= 5 ? Decode(rest[..5]) : 0;
        var second = rest.IndexOf(Delimiter);
        var first = second >= 0 && rest.Length - second > 5 ? Decode(rest.Slice(second + 1, 5)) : 0;
        return new CookieDates(last, first);
    }

    /// <summary>
    /// Returns true when the cookie must be ignored: its first date is older than `maxlife` or its last date older
    /// than `maxidle`, or either lies more than a day ahead.
    /// </summary>
    public bool IsExpired(CookieSettings settings, long now) =>
        (First != 0 && settings.MaxLife is { } life && OutOfRange(First, life, now))
        || (Last != 0 && settings.MaxIdle is { } idle && OutOfRange(Last, idle, now));

    /// <summary>
    /// Returns true when a cookie that selected its server must still be sent again: its last date needs a refresh,
    /// or its first date must be added (maxlife set) or removed (maxlife unset).
    /// </summary>
    public bool NeedsRefresh(CookieSettings settings, long now) =>
        ((settings.MaxIdle is not null || Last != 0) && (Last == 0 || Last < now))
        || (settings.MaxLife is not null && First == 0)
        || (settings.MaxLife is null && First != 0);

    /// <summary>Returns the "|LAST[|FIRST]" suffix for an inserted cookie, or "" when neither maxidle nor maxlife is set.</summary>
    public string Suffix(CookieSettings settings, long now)
    {
        if (settings.MaxIdle is null && settings.MaxLife is null)
        {
            return "";
        }

        var suffix = Delimiter + Encode(now + 3);
        return settings.MaxLife is null ? suffix : suffix + Delimiter + (First != 0 ? Encode(First) : Encode(now + 3));
    }

    private static bool OutOfRange(long date, TimeSpan limit, long now) =>
        now - date > (long)limit.TotalSeconds || date - now > MaxFutureSeconds;

    private static string Encode(long seconds)
    {
        var steps = (int)((seconds >> 2) & 0x3FFF_FFFF);
        Span<char> text = stackalloc char[5];
        for (var i = 0; i < 5; i++)
        {
            text[i] = Alphabet[(steps >> (24 - 6 * i)) & 0x3F];
        }

        return new string(text);
    }

    private static long Decode(ReadOnlySpan<char> text)
    {
        long steps = 0;
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return 0;
            }

            steps = (steps << 6) | (uint)digit;
        }

        return steps << 2;
    }
}
