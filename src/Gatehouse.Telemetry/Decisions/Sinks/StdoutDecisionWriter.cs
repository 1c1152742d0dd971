namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>Writes each record as one JSON line to standard output, or to another text writer in tests.</summary>
public sealed class StdoutDecisionWriter(TextWriter? output = null) : IDecisionWriter
{
    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "stdout";

    public async ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken) =>
        await _output.WriteLineAsync(json.AsMemory(), cancellationToken).ConfigureAwait(false);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) =>
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
