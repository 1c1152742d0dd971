using System.Globalization;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Logging;

/// <summary>
/// The log-format variables of the access log, with HAProxy's names and meaning: dates (%t, %tr), names (%ft, %b, %s),
/// timers in milliseconds (%TR, %Tw, %Tc, %Tr, %Ta, %Tt), status and bytes (%ST, %B, %U), termination state (%ts, %tsc),
/// connection counts (%ac, %fc, %bc, %sc, %rc), queues (%sq, %bq), the request (%r, %HM, %HU, %HV) and %ID.
/// Outside an access log line, where no record exists, each renders as missing.
/// </summary>
internal static class AccessLogVariables
{
    public static readonly LogVariable[] All =
    [
        From("t", record => Date(record.AcceptedAt)),
        From("tr", record => Date(record.AcceptedAt)),
        From("ft", record => record.Frontend),
        From("f", record => record.Frontend),
        From("b", record => record.Backend),
        From("s", record => record.Server),
        From("TR", record => Number(record.RequestTime)),
        From("Tq", record => Number(record.RequestTime)),
        From("Tw", record => Number(record.QueueTime)),
        From("Tc", record => Number(record.ConnectTime)),
        From("Tr", record => Number(record.ResponseTime)),
        From("Ta", record => Number(record.ActiveTime)),
        From("Tt", record => Number(record.ActiveTime)),
        From("ST", record => Number(record.Status)),
        From("B", record => Number(record.BytesOut)),
        From("U", record => Number(record.BytesIn)),
        From("CC", _ => null),
        From("CS", _ => null),
        From("ts", record => record.Termination),
        From("tsc", record => record.Termination + record.CookieState),
        From("ac", record => Number(record.ActiveConnections)),
        From("fc", record => Number(record.FrontendConnections)),
        From("bc", record => Number(record.BackendConnections)),
        From("sc", record => Number(record.ServerConnections)),
        From("rc", record => (record.Redispatched ? "+" : "") + Number(record.Retries)),
        From("sq", record => Number(record.ServerQueue)),
        From("bq", record => Number(record.BackendQueue)),
        From("r", record => record.RequestLine),
        From("HM", record => Word(record.RequestLine, 0)),
        From("HU", record => Word(record.RequestLine, 1)),
        From("HV", record => Word(record.RequestLine, 2)),
        From("ID", record => record.RequestId),
        From("pid", _ => Number(Environment.ProcessId)),
    ];

    private static LogVariable From(string name, Func<AccessLogRecord, string?> render) =>
        new(name, context => Find(context) is { } record ? render(record) : null);

    private static AccessLogRecord? Find(SampleContext context) => context.Http.Features.Get<AccessLogRecord>();

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>HAProxy's log date, such as "04/Dec/2026:22:02:48.136", in local time.</summary>
    internal static string Date(DateTimeOffset time) =>
        time.ToLocalTime().ToString("dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string? Word(string line, int index)
    {
        var words = line.Split(' ');
        return index < words.Length ? words[index] : null;
    }
}
