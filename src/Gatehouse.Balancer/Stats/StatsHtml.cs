using System.Globalization;
using System.Net;
using System.Text;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// The HTML stats page: the CSV as a table, the message for a ";st=CODE" redirect and, for `stats admin`
/// clients, one form per backend with a checkbox per server and the actions HAProxy offers.
/// </summary>
internal static class StatsHtml
{
    /// <param name="adminState">The routing state when the client may change server states, else null.</param>
    public static string Build(string csv, StatsSettings settings, string target, RoutingState? adminState)
    {
        var page = new StringBuilder("<html><head><title>Statistics Report</title></head><body><h1>Statistics Report</h1>\n");
        AppendStatus(page, target[settings.Uri.Length..]);
        page.Append("<table border=\"1\">\n");
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cell = line.StartsWith('#') ? "th" : "td";
            page.Append("<tr>");
            foreach (var value in line.TrimStart('#', ' ').TrimEnd(',').Split(','))
            {
                page.Append('<').Append(cell).Append('>').Append(WebUtility.HtmlEncode(value)).Append("</").Append(cell).Append('>');
            }

            page.Append("</tr>\n");
        }

        page.Append("</table>\n");
        if (adminState is not null)
        {
            AppendForms(page, settings, adminState);
        }

        return page.Append("</body></html>\n").ToString();
    }

    private static void AppendStatus(StringBuilder page, string options)
    {
        var at = options.IndexOf(";st=", StringComparison.Ordinal);
        if (at >= 0 && options.Length >= at + 8 && StatsAdmin.StatusMessage(options.Substring(at + 4, 4)) is { } message)
        {
            page.Append("<p class=\"status\">").Append(WebUtility.HtmlEncode(message)).Append("</p>\n");
        }
    }

    private static void AppendForms(StringBuilder page, StatsSettings settings, RoutingState state)
    {
        var ids = StatsAdmin.BackendIds(state);
        foreach (var backend in state.Backends.Values.OrderBy(pool => ids.GetValueOrDefault(pool.Name)))
        {
            page.Append("<form method=\"post\" action=\"").Append(WebUtility.HtmlEncode(settings.Uri)).Append("\">")
                .Append("<h2>").Append(WebUtility.HtmlEncode(backend.Name)).Append("</h2>\n");
            foreach (var server in backend.Servers)
            {
                var name = WebUtility.HtmlEncode(server.Name);
                page.Append("<label><input type=\"checkbox\" name=\"s\" value=\"").Append(name).Append("\">").Append(name).Append("</label>\n");
            }

            page.Append("Choose the action to perform on the checked servers: <select name=\"action\"><option value=\"\"></option>");
            foreach (var (action, label) in StatsAdmin.FormActions)
            {
                page.Append("<option value=\"").Append(action).Append("\">").Append(label).Append("</option>");
            }

            page.Append("</select><input type=\"hidden\" name=\"b\" value=\"#")
                .Append(ids.GetValueOrDefault(backend.Name).ToString(CultureInfo.InvariantCulture))
                .Append("\"><input type=\"submit\" value=\"Apply\"></form>\n");
        }
    }
}
