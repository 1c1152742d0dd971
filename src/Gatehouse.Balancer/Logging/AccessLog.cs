using System.Runtime.CompilerServices;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Logging;

/// <summary>
/// Writes one access log line per request of a frontend that has `log` targets, in the frontend's `log-format`,
/// else HAProxy's httplog line with `option httplog`, else HAProxy's default TCP line.
/// </summary>
internal sealed class AccessLog
{
    private static readonly ConditionalWeakTable<FrontendConfig, Setup> Setups = new();

    private readonly Lazy<AccessLogWriter> _writer;

    public AccessLog(ILogger logger) => _writer = new Lazy<AccessLogWriter>(() => new AccessLogWriter(logger));

    /// <summary>Lines dropped because the queue was full or sending failed.</summary>
    public long Dropped => _writer.IsValueCreated ? _writer.Value.Dropped : 0;

    /// <summary>Sends the lines still queued and closes the log sockets; called once, when the host stops.</summary>
    public ValueTask CloseAsync() => _writer.IsValueCreated ? _writer.Value.DisposeAsync() : ValueTask.CompletedTask;

    public void Write(BalancerConfig config, FrontendConfig frontend, SampleContext sample, AccessLogRecord record)
    {
        var setup = For(config, frontend);
        if (setup.Targets.Count == 0)
        {
            return;
        }

        var line = setup.Format.RenderLog(sample);
        foreach (var target in setup.Targets)
        {
            if (target.MaxLevel >= LogTarget.InfoLevel)
            {
                _writer.Value.Write(target, SyslogFraming.Frame(target, line, record.AcceptedAt));
            }
        }
    }

    private static Setup For(BalancerConfig config, FrontendConfig frontend) =>
        Setups.GetValue(frontend, _ => Resolve(config, frontend.Settings));

    private static Setup Resolve(BalancerConfig config, ProxySettings settings)
    {
        var targets = new List<LogTarget>();
        foreach (var text in settings.LogTargets)
        {
            var lines = text == "global" ? config.LogTargets : [text];
            foreach (var line in lines)
            {
                // Each line was validated when the configuration was loaded.
                if (LogTargetParser.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), out _) is { } target)
                {
                    targets.Add(target);
                }
            }
        }

        var format = settings.AccessLogFormat ?? (settings.HttpLog ? AccessLogFormats.HttpLogFormat : AccessLogFormats.TcpDefaultFormat);
        return new Setup(targets, format);
    }

    private sealed record Setup(IReadOnlyList<LogTarget> Targets, LogFormat Format);
}
