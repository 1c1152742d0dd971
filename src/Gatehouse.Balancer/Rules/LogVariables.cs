using System.Globalization;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Rules;

/// <summary>One `%name` log-format variable and how it reads the request.</summary>
internal sealed record LogVariable(string Name, Func<SampleContext, string?> Render)
{
    /// <summary>True when an access log line leaves a missing value out instead of writing "-", as for captures.</summary>
    public bool OmitWhenMissing { get; init; }
}

/// <summary>
/// The log-format variables supported in header values and bodies, with HAProxy's meaning: %ci and %cp the
/// client address and port, %fi and %fp the address and port the frontend accepted on, %H the host name, %hr and
/// %hs the captured request and response headers as "{a|b}", %hrl and %hsl the same separated by spaces.
/// </summary>
internal static class LogVariables
{
    private static readonly LogVariable[] All =
    [
        new("ci", context => context.Source is { } source ? SourceFetch.Format(source) : null),
        new("cp", context => context.Http.Connection.RemotePort.ToString(CultureInfo.InvariantCulture)),
        new("fi", context => context.Http.Connection.LocalIpAddress is { } local ? SourceFetch.Format(local) : null),
        new("fp", context => context.Http.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)),
        new("H", _ => Environment.MachineName),
        new("hr", context => CaptureFormat.Braced(context.Captures?.Request)) { OmitWhenMissing = true },
        new("hs", context => CaptureFormat.Braced(context.Captures?.Response)) { OmitWhenMissing = true },
        new("hrl", context => CaptureFormat.Spaced(context.Captures?.Request)),
        new("hsl", context => CaptureFormat.Spaced(context.Captures?.Response)),
        .. Logging.AccessLogVariables.All,
    ];

    /// <summary>The supported names for messages, such as "%ci, %cp".</summary>
    public static string Names => string.Join(", ", All.Select(variable => "%" + variable.Name));

    public static LogVariable? Find(string name) => Array.Find(All, variable => variable.Name == name);
}
