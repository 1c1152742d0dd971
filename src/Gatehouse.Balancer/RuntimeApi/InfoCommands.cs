using System.Globalization;
using System.Text;
using Gatehouse.Balancer.Stats;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>`show info` and `show stat`.</summary>
internal static class InfoCommands
{
    public static string ShowInfo(RuntimeApiContext context)
    {
        var uptime = context.Time.GetUtcNow() - context.Started;
        var text = new StringBuilder();
        Line(text, "Name", "Gatehouse");
        Line(text, "Version", typeof(InfoCommands).Assembly.GetName().Version?.ToString() ?? "0");
        Line(text, "Nbthread", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        Line(text, "Nbproc", "1");
        Line(text, "Process_num", "1");
        Line(text, "Pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Line(text, "Uptime", string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalDays}d {uptime.Hours}h{uptime.Minutes:00}m{uptime.Seconds:00}s"));
        Line(text, "Uptime_sec", ((long)uptime.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        Line(text, "Maxconn", context.Routing?.Invoke().Config.MaxConnections?.ToString(CultureInfo.InvariantCulture) ?? "0");
        return text.ToString();
    }

    /// <summary>Returns the same CSV as the stats page, because HAProxy writes one format for both.</summary>
    public static string ShowStat(RuntimeApiContext context) =>
        context.Routing?.Invoke() is { } state ? StatsCsv.Build(state) : StatsCsv.Header + "\n";

    private static void Line(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append('\n');
}
