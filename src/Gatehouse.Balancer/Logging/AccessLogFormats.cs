using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;

namespace Gatehouse.Balancer.Logging;

/// <summary>HAProxy's predefined access log formats and the `log-format` keyword.</summary>
internal static class AccessLogFormats
{
    /// <summary>The line `option httplog` writes, as HAProxy 2.6 defines it.</summary>
    public const string HttpLog =
        "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";

    /// <summary>The line a proxy writes without `option httplog` or `log-format`: HAProxy's default TCP format.</summary>
    public const string TcpDefault = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

    public static readonly LogFormat HttpLogFormat = Build(HttpLog);

    public static readonly LogFormat TcpDefaultFormat = Build(TcpDefault);

    /// <summary>Parses `log-format FORMAT`; the format is one word, quoted when it contains spaces.</summary>
    public static LogFormat? ParseLine(ConfigLine line, ConfigErrors errors)
    {
        if (line.Count != 2)
        {
            errors.Add(line.Location, "'log-format' expects one format string; quote it when it contains spaces, such as log-format \"%ci [%tr] %ST\"");
            return null;
        }

        var problems = new List<string>();
        var format = LogFormat.Parse(line[1], problems);
        foreach (var problem in problems)
        {
            errors.Add(line.Location, $"'log-format': {problem}");
        }

        return problems.Count == 0 ? format : null;
    }

    private static LogFormat Build(string text)
    {
        var problems = new List<string>();
        return LogFormat.Parse(text, problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
    }
}
