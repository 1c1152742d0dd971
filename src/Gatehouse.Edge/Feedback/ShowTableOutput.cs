using System.Globalization;

namespace Gatehouse.Edge.Feedback;

/// <summary>One entry of HAProxy's <c>show table</c> output: its key and the integer data types it stores.</summary>
internal sealed record ShowTableEntry(string Key, IReadOnlyDictionary<string, long> Values);

/// <summary>
/// Parses the output of the HAProxy runtime API command <c>show table NAME ...</c> (HAProxy 2.6): a
/// <c># table:</c> header, then one line per entry such as
/// <c>0x55d0c1a3e2a0: key=127.0.0.1 use=0 exp=29813 gpt0=1 http_req_rate(10000)=3</c>.
/// </summary>
internal static class ShowTableOutput
{
    /// <summary>Returns the entries; throws <see cref="FormatException"/> when the output is an error message instead.</summary>
    public static List<ShowTableEntry> Parse(string output)
    {
        var entries = new List<ShowTableEntry>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!line.StartsWith("0x", StringComparison.Ordinal) || !line.Contains(": key=", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected runtime API output: {Shorten(line)}");
            }

            entries.Add(ParseEntry(line));
        }

        return entries;
    }

    private static ShowTableEntry ParseEntry(string line)
    {
        string? key = null;
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var field in line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = field[..equals];
            var text = field[(equals + 1)..];
            if (name == "key")
            {
                key = text;
            }
            else if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                values[FeedbackCounters.Normalize(name)] = value;
            }
        }

        return new ShowTableEntry(key ?? throw new FormatException($"entry without a key: {Shorten(line)}"), values);
    }

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..120] + "...";
}
