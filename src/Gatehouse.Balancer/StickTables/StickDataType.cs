namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// The data types a stick table entry can store, named as in HAProxy 2.6's `stick-table ... store`, in HAProxy's
/// internal order, which is the order `show table` prints them in.
/// </summary>
public enum StickDataType
{
    ServerId,
    Gpt0,
    Gpc0,
    Gpc0Rate,
    ConnCnt,
    ConnRate,
    ConnCur,
    SessCnt,
    SessRate,
    HttpReqCnt,
    HttpReqRate,
    HttpErrCnt,
    HttpErrRate,
    BytesInCnt,
    BytesInRate,
    BytesOutCnt,
    BytesOutRate,
    Gpc1,
    Gpc1Rate,
    HttpFailCnt,
    HttpFailRate,
}

/// <summary>How a data type's value is kept and shown.</summary>
internal enum StickDataKind
{
    /// <summary>A cumulative counter, such as http_req_cnt.</summary>
    Counter,

    /// <summary>A rate over a period given in the store list, such as http_req_rate(10s).</summary>
    Rate,

    /// <summary>A value that goes up and down, such as conn_cur.</summary>
    Gauge,

    /// <summary>A value set by a rule: gpt0 and server_id.</summary>
    Tag,
}

/// <summary>Names and kinds of <see cref="StickDataType"/> values.</summary>
internal static class StickDataTypes
{
    private static readonly (string Name, StickDataKind Kind)[] Descriptors =
    [
        ("server_id", StickDataKind.Tag),
        ("gpt0", StickDataKind.Tag),
        ("gpc0", StickDataKind.Counter),
        ("gpc0_rate", StickDataKind.Rate),
        ("conn_cnt", StickDataKind.Counter),
        ("conn_rate", StickDataKind.Rate),
        ("conn_cur", StickDataKind.Gauge),
        ("sess_cnt", StickDataKind.Counter),
        ("sess_rate", StickDataKind.Rate),
        ("http_req_cnt", StickDataKind.Counter),
        ("http_req_rate", StickDataKind.Rate),
        ("http_err_cnt", StickDataKind.Counter),
        ("http_err_rate", StickDataKind.Rate),
        ("bytes_in_cnt", StickDataKind.Counter),
        ("bytes_in_rate", StickDataKind.Rate),
        ("bytes_out_cnt", StickDataKind.Counter),
        ("bytes_out_rate", StickDataKind.Rate),
        ("gpc1", StickDataKind.Counter),
        ("gpc1_rate", StickDataKind.Rate),
        ("http_fail_cnt", StickDataKind.Counter),
        ("http_fail_rate", StickDataKind.Rate),
    ];

    private static readonly Dictionary<string, StickDataType> ByName = Enum.GetValues<StickDataType>()
        .ToDictionary(type => Descriptors[(int)type].Name, StringComparer.Ordinal);

    public static int Count => Descriptors.Length;

    public static IEnumerable<string> Names => ByName.Keys;

    public static string Name(this StickDataType type) => Descriptors[(int)type].Name;

    public static StickDataKind Kind(this StickDataType type) => Descriptors[(int)type].Kind;

    public static bool TryParse(string name, out StickDataType type) => ByName.TryGetValue(name, out type);
}
