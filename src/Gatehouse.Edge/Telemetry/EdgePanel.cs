using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Gatehouse.Edge.Telemetry;

/// <summary>
/// The edge panel: one self-contained HTML page, reloaded by the browser every 5 seconds, with decisions per second
/// by action, the penalty box size and the keys limited most often. Every value is HTML-encoded.
/// </summary>
internal static class EdgePanel
{
    public const string ContentType = "text/html; charset=utf-8";

    public const int TopKeys = 20;

    public static string Render(EdgeMetrics metrics, string metricsPath)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
            <title>Gatehouse edge</title>
            <style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}
            th,td{border:1px solid #ccc;padding:.25em .75em;text-align:left}td.n{text-align:right}</style>
            </head><body><h1>Gatehouse edge</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>Penalty box entries: <b id=\"penalty-box\">{metrics.PenaltyBoxSize}</b></p>\n");
        AppendRates(html, metrics.Rates.Snapshot());
        AppendLimitedKeys(html, metrics.LimitedKeys.Top(TopKeys));
        html.Append(CultureInfo.InvariantCulture, $"<p>Prometheus text: <a href=\"{HtmlEncode(metricsPath)}\">{HtmlEncode(metricsPath)}</a></p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendRates(StringBuilder html, IReadOnlyList<(string Action, double PerSecond)> rates)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Decisions per second (last {DecisionRates.WindowSeconds} s)</h2>\n");
        html.Append("<table id=\"decisions\"><tr><th>action</th><th>per second</th></tr>\n");
        foreach (var (action, perSecond) in rates)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlEncode(action)}</td><td class=\"n\">{perSecond:0.0}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendLimitedKeys(StringBuilder html, IReadOnlyList<(string Key, string Rule, long Count)> keys)
    {
        html.Append("<h2>Most limited keys</h2>\n");
        html.Append("<table id=\"limited\"><tr><th>key</th><th>rule</th><th>rejected</th></tr>\n");
        foreach (var (key, rule, count) in keys)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlEncode(key)}</td><td>{HtmlEncode(rule)}</td><td class=\"n\">{count}</td></tr>\n");
        }

        html.Append("</table>\n");
    }
}
