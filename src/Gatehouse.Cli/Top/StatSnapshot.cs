using System.Globalization;

namespace Gatehouse.Cli.Top;

/// <summary>Kind of a `show stat` row, from its `type` column.</summary>
internal enum StatRowType
{
    Frontend = 0,
    Backend = 1,
    Server = 2,
    Listener = 3,
}

/// <summary>One row of `show stat`: a frontend, backend, server or listener, with its columns by header name.</summary>
internal sealed class StatRow(IReadOnlyDictionary<string, string> values)
{
    public string Proxy => Text("pxname");

    public string Name => Text("svname");

    public StatRowType Type => Number("type") is { } type && Enum.IsDefined((StatRowType)type) ? (StatRowType)type : StatRowType.Listener;

    public string Status => Text("status");

    /// <summary>The column's value, or "" when the column is missing or empty.</summary>
    public string Text(string column) => values.TryGetValue(column, out var value) ? value : "";

    /// <summary>The column as a number, or null when it is missing, empty or not a number.</summary>
    public long? Number(string column) =>
        long.TryParse(Text(column), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Requests seen: `req_tot`, else the sum of the HTTP response classes.</summary>
    public long? Requests()
    {
        if (Number("req_tot") is { } total)
        {
            return total;
        }

        long? sum = null;
        foreach (var column in (string[])["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"])
        {
            if (Number(column) is { } count)
            {
                sum = (sum ?? 0) + count;
            }
        }

        return sum;
    }

    /// <summary>Request, connection and response errors (`ereq`, `econ`, `eresp`), or null when none of them is reported.</summary>
    public long? Errors()
    {
        long? sum = null;
        foreach (var column in (string[])["ereq", "econ", "eresp"])
        {
            if (Number(column) is { } count)
            {
                sum = (sum ?? 0) + count;
            }
        }

        return sum;
    }
}

/// <summary>The rows of one `show stat` output and when it was read.</summary>
internal sealed record StatSnapshot(IReadOnlyList<StatRow> Rows, DateTimeOffset Time)
{
    /// <summary>The most rows kept from one output; more are dropped, so the view stays bounded.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Parses HAProxy's CSV: a "# " header line naming the columns, then one line per row.</summary>
    public static StatSnapshot Parse(string csv, DateTimeOffset time)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = Array.Find(lines, line => line.StartsWith('#'));
        if (header is null)
        {
            throw new FormatException("the 'show stat' output has no '# pxname,svname,...' header line");
        }

        var columns = header.TrimStart('#', ' ').Split(',');
        var rows = new List<StatRow>();
        foreach (var line in lines)
        {
            if (line.StartsWith('#') || rows.Count >= MaxRows)
            {
                continue;
            }

            var cells = line.Split(',');
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length && i < cells.Length; i++)
            {
                if (cells[i].Length > 0)
                {
                    values[columns[i]] = cells[i];
                }
            }

            rows.Add(new StatRow(values));
        }

        return new StatSnapshot(rows, time);
    }

    /// <summary>The servers in output order, which is the order the view lists and selects them.</summary>
    public IReadOnlyList<StatRow> Servers => [.. Rows.Where(row => row.Type == StatRowType.Server)];

    public StatRow? Find(string proxy, string name, StatRowType type) =>
        Rows.FirstOrDefault(row => row.Type == type && row.Proxy == proxy && row.Name == name);
}
