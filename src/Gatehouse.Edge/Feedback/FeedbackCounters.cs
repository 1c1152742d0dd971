using System.Text;

namespace Gatehouse.Edge.Feedback;

/// <summary>Stick table data types a feedback condition may read, named as in HAProxy 2.6's <c>stick-table store</c>.</summary>
public static class FeedbackCounters
{
    /// <summary>Every data type with an integer value, in HAProxy's order.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "server_id", "gpt0", "gpc0", "gpc0_rate", "conn_cnt", "conn_rate", "conn_cur", "sess_cnt", "sess_rate",
        "http_req_cnt", "http_req_rate", "http_err_cnt", "http_err_rate", "bytes_in_cnt", "bytes_in_rate",
        "bytes_out_cnt", "bytes_out_rate", "gpc1", "gpc1_rate", "http_fail_cnt", "http_fail_rate",
    ];

    /// <summary>
    /// Returns the snake-case name of a data type given as <c>http_req_rate</c>, <c>http_req_rate(10000)</c>
    /// (as <c>show table</c> prints it) or <c>HttpReqRate</c> (a .NET enum name).
    /// </summary>
    public static string Normalize(string name)
    {
        var open = name.IndexOf('(');
        if (open >= 0)
        {
            name = name[..open];
        }

        if (name.Contains('_') || name.All(c => !char.IsUpper(c)))
        {
            return name;
        }

        var snake = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(name[i]));
        }

        return snake.ToString();
    }
}
