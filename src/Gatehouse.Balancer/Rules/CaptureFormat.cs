using System.Text;

namespace Gatehouse.Balancer.Rules;

/// <summary>Renders captured header values for the %hr, %hs, %hrl and %hsl log-format variables.</summary>
internal static class CaptureFormat
{
    /// <summary>Returns "{a|b}" with each value escaped, an absent value empty; null when nothing is captured.</summary>
    public static string? Braced(string?[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append('|');
            }

            Escape(text, values[i]);
        }

        return text.Append('}').ToString();
    }

    /// <summary>Returns the escaped values separated by spaces, an absent value as "-"; null when nothing is captured.</summary>
    public static string? Spaced(string?[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            if (values[i] is null)
            {
                text.Append('-');
            }
            else
            {
                Escape(text, values[i]);
            }
        }

        return text.ToString();
    }

    // HAProxy writes the bytes that would break a log line's fields, or are not printable, as #XX.
    private static void Escape(StringBuilder text, string? value)
    {
        foreach (var c in value ?? "")
        {
            if (c < 0x20 || c >= 0x7f || c is '"' or '#' or '{' or '|' or '}')
            {
                text.Append('#').Append(((int)c & 0xff).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
