using System.Globalization;
using System.Text;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;

namespace Gatehouse.Balancer.Stats;

/// <summary>
/// Writes the statistics in HAProxy 2.6's CSV layout: its header line, then one row per frontend, per server
/// and per backend. Columns the balancer does not track stay empty, as HAProxy leaves unknown values empty.
/// </summary>
internal static class StatsCsv
{
    /// <summary>The header line of HAProxy 2.6.12's CSV output, column for column.</summary>
    public const string Header =
        "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,"
        + "chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,"
        + "check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,"
        + "cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,"
        + "agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,"
        + "addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,"
        + "srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,"
        + "uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,"
        + "h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,"
        + "h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,"
        + "h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,"
        + "h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,";

    private static readonly string[] Columns = Header[2..].TrimEnd(',').Split(',');

    public static string Build(RoutingState state)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var frontend in state.Frontends.Values)
        {
            var row = NewRow(frontend.Name, "FRONTEND", 0, frontend.Counters);
            row["status"] = "OPEN";
            row["mode"] = Mode(frontend.Config.Settings.Mode);
            Append(text, row);
        }

        foreach (var backend in state.Backends.Values)
        {
            var active = 0;
            var backup = 0;
            var weight = 0;
            foreach (var server in backend.Servers)
            {
                Append(text, ServerRow(backend, server));
                if (server.IsEligible)
                {
                    weight += server.Weight;
                    active += server.Config.Backup ? 0 : 1;
                    backup += server.Config.Backup ? 1 : 0;
                }
            }

            var row = NewRow(backend.Name, "BACKEND", 1, backend.Counters);
            row["status"] = active + backup > 0 ? "UP" : "DOWN";
            row["weight"] = Number(weight);
            row["act"] = Number(active);
            row["bck"] = Number(backup);
            row["qcur"] = Number(backend.Queue.Count);
            row["mode"] = Mode(backend.Config.Settings.Mode);
            Append(text, row);
        }

        return text.ToString();
    }

    private static Dictionary<string, string> ServerRow(BackendPool backend, ServerState server)
    {
        var row = NewRow(backend.Name, server.Name, 2, server.Counters);
        row["scur"] = Number(server.Active);
        row["status"] = server.AdminState == LoadBalancing.ServerAdminState.Maintenance ? "MAINT"
            : server.AdminState == LoadBalancing.ServerAdminState.Drain ? "DRAIN" : server.Config.Check is null ? "no check" : server.IsUp ? "UP" : "DOWN";
        row["weight"] = Number(server.Weight);
        row["act"] = server.Config.Backup ? "0" : "1";
        row["bck"] = server.Config.Backup ? "1" : "0";
        row["addr"] = $"{server.Config.Host}:{Number(server.Config.Port)}";
        if (server.Config.PassiveHealth is not null)
        {
            row["hanafail"] = Number(server.PassiveFailures);
        }
        row["mode"] = Mode(backend.Config.Settings.Mode);
        if (server.Config.Cookie is { } cookie)
        {
            row["cookie"] = cookie;
        }

        return row;
    }

    private static Dictionary<string, string> NewRow(string proxy, string name, int type, ProxyCounters counters)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pxname"] = proxy,
            ["svname"] = name,
            ["type"] = Number(type),
            ["smax"] = Number(counters.Max),
            ["stot"] = Number(counters.Total),
            ["scur"] = Number(counters.Current),
        };
        string[] classes = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"];
        for (var i = 0; i < classes.Length; i++)
        {
            row[classes[i]] = Number(counters.StatusCount(i));
        }

        return row;
    }

    private static void Append(StringBuilder text, Dictionary<string, string> row)
    {
        foreach (var column in Columns)
        {
            if (row.TryGetValue(column, out var value))
            {
                text.Append(value.Replace(',', ' '));
            }

            text.Append(',');
        }

        text.Append('\n');
    }

    private static string Mode(Configuration.ProxyMode mode) => mode == Configuration.ProxyMode.Tcp ? "tcp" : "http";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
