using System.Globalization;
using System.Text;

namespace Gatehouse.Cli.Top;

/// <summary>
/// Lays out one `show stat` snapshot as text lines: the frontends, then each backend with its servers. Rates come from
/// the `rate` and `req_rate` columns. When the balancer leaves those empty, they are computed from the totals of the
/// previous snapshot, so the first view shows "-".
/// </summary>
internal static class TopView
{
    private const int MaxNameWidth = 40;

    private static readonly string[] Headings = ["STATUS", "WEIGHT", "CUR", "QUEUE", "SESS/S", "REQ/S", "TOTAL", "ERRORS", "5XX"];

    private static readonly int[] Widths = [10, 6, 6, 6, 7, 7, 9, 7, 6];

    /// <param name="selected">Index into <see cref="StatSnapshot.Servers"/> of the marked server, or -1 for none.</param>
    /// <param name="width">Terminal columns; longer lines are cut.</param>
    public static List<string> Render(StatSnapshot current, StatSnapshot? previous, int selected, int width)
    {
        var nameWidth = Math.Clamp(current.Rows.Select(DisplayName).DefaultIfEmpty("").Max(name => name.Length) + 6, 12, MaxNameWidth);
        var lines = new List<string> { Row("NAME", nameWidth, Headings) };
        var elapsed = previous is null ? 0 : (current.Time - previous.Time).TotalSeconds;

        lines.Add("FRONTENDS");
        foreach (var row in current.Rows.Where(row => row.Type == StatRowType.Frontend))
        {
            lines.Add(Row("  " + row.Proxy, nameWidth, Cells(row, previous, elapsed)));
        }

        lines.Add("BACKENDS");
        var servers = current.Servers;
        foreach (var backend in current.Rows.Where(row => row.Type == StatRowType.Backend))
        {
            lines.Add(Row("  " + backend.Proxy, nameWidth, Cells(backend, previous, elapsed)));
            foreach (var server in servers.Where(server => server.Proxy == backend.Proxy))
            {
                var marker = selected >= 0 && selected < servers.Count && ReferenceEquals(servers[selected], server) ? "  > " : "    ";
                lines.Add(Row(marker + server.Name, nameWidth, Cells(server, previous, elapsed)));
            }
        }

        return [.. lines.Select(line => line.Length > width ? line[..width] : line)];
    }

    private static string DisplayName(StatRow row) => row.Type == StatRowType.Server ? row.Name : row.Proxy;

    private static string[] Cells(StatRow row, StatSnapshot? previous, double elapsed)
    {
        var before = previous?.Find(row.Proxy, row.Name, row.Type);
        return
        [
            row.Status.Length > 0 ? row.Status : "-",
            Show(row.Number("weight")),
            Show(row.Number("scur")),
            Show(row.Number("qcur")),
            Rate(row.Number("rate"), row.Number("stot"), before?.Number("stot"), elapsed),
            Rate(row.Number("req_rate"), row.Requests(), before?.Requests(), elapsed),
            Show(row.Number("stot")),
            Show(row.Errors()),
            Show(row.Number("hrsp_5xx")),
        ];
    }

    private static string Rate(long? reported, long? total, long? previousTotal, double elapsed)
    {
        if (reported is not null)
        {
            return Show(reported);
        }

        if (total is not { } now || previousTotal is not { } then || elapsed <= 0 || now < then)
        {
            return "-";
        }

        return ((now - then) / elapsed).ToString("0.#", CultureInfo.InvariantCulture);
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Row(string name, int nameWidth, string[] cells)
    {
        var line = new StringBuilder(name.Length > nameWidth - 1 ? name[..(nameWidth - 1)] + " " : name.PadRight(nameWidth));
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = i == 0 ? cells[i].PadRight(Widths[i]) : cells[i].PadLeft(Widths[i]);
            line.Append(cell).Append(' ');
        }

        return line.ToString().TrimEnd();
    }
}
