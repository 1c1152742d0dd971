using System.Globalization;
using System.Text;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>`show info` and `show stat`.</summary>
internal static class InfoCommands
{
    // The field names of HAProxy 2.6's `show stat` CSV, in order (management guide, section 9.1).
    private const string StatFields =
        "pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,"
        + "chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,"
        + "check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,"
        + "req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,"
        + "agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,"
        + "agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,"
        + "reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,"
        + "safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status";

    private static readonly string[] Fields = StatFields.Split(',');

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

    /// <summary>The CSV header, then one row per frontend, server and backend; fields Gatehouse does not measure are empty.</summary>
    public static string ShowStat(RuntimeApiContext context)
    {
        var text = new StringBuilder("# ").Append(StatFields).Append(",\n");
        if (context.Routing?.Invoke() is not { } state)
        {
            return text.ToString();
        }

        foreach (var frontend in state.Config.Frontends)
        {
            Row(text, frontend.Name, "FRONTEND", ("status", "OPEN"), ("type", "0"), ("mode", Mode(frontend.Settings.Mode)));
        }

        foreach (var backend in state.Backends.Values)
        {
            foreach (var server in backend.Servers)
            {
                Row(text, backend.Name, server.Name, ("scur", server.Active.ToString(CultureInfo.InvariantCulture)),
                    ("status", server.IsUp ? "UP" : "DOWN"), ("weight", server.Weight.ToString(CultureInfo.InvariantCulture)),
                    ("act", server.Config.Backup ? "0" : "1"), ("bck", server.Config.Backup ? "1" : "0"), ("type", "2"),
                    ("addr", $"{server.Config.Host}:{server.Config.Port}"), ("mode", Mode(backend.Config.Settings.Mode)));
            }

            var up = backend.Servers.Any(server => server.IsEligible);
            Row(text, backend.Name, "BACKEND", ("status", up ? "UP" : "DOWN"), ("type", "1"), ("mode", Mode(backend.Config.Settings.Mode)));
        }

        return text.ToString();
    }

    private static string Mode(Configuration.ProxyMode mode) => mode == Configuration.ProxyMode.Tcp ? "tcp" : "http";

    private static void Line(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append('\n');

    private static void Row(StringBuilder text, string proxy, string service, params (string Field, string Value)[] values)
    {
        var row = new string[Fields.Length];
        row[0] = proxy;
        row[1] = service;
        foreach (var (field, value) in values)
        {
            row[Array.IndexOf(Fields, field)] = value;
        }

        text.AppendJoin(',', row).Append(",\n");
    }
}
