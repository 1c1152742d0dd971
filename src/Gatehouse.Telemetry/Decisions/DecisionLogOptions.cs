namespace Gatehouse.Telemetry.Decisions;

/// <summary>Queueing settings shared by every writer of a <see cref="DecisionLog"/>.</summary>
public sealed class DecisionLogOptions
{
    /// <summary>Maximum records waiting per writer; past it that writer's new records are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = DecisionLog.QueueCapacity;

    /// <summary>Minimum time between two log lines about one writer's drops or failures. Default 10 seconds.</summary>
    public TimeSpan DropReportInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposal waits for each writer to finish its queue before cancelling it. Default 5 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
