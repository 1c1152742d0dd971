namespace Gatehouse.Telemetry.Decisions;

/// <summary>Destination for decision records. <see cref="Write"/> must never block the request that calls it.</summary>
public interface IDecisionSink
{
    void Write(DecisionRecord record);
}
