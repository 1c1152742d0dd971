using Microsoft.Extensions.Logging;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Writes each record to the logger at Information level (event 1001), so the console shows it.</summary>
public sealed class LoggerDecisionWriter(ILogger logger) : IDecisionWriter
{
    public string Name => "logger";

    public ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        DecisionLogEvents.Decision(logger, record.Tier, record.RequestId, json);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
