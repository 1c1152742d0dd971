using System.Collections.Concurrent;
using Gatehouse.Telemetry.Decisions;

namespace Gatehouse.Balancer.Tests.Runtime;

internal sealed class RecordingSink : IDecisionSink
{
    public ConcurrentQueue<DecisionRecord> Records { get; } = new();

    public void Write(DecisionRecord record) => Records.Enqueue(record);

    /// <summary>Returns the record for the request id; records are written after the response, so this polls with a deadline.</summary>
    public async Task<DecisionRecord> WaitForAsync(string requestId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var record = Records.FirstOrDefault(candidate => candidate.RequestId == requestId);
            if (record is not null)
            {
                return record;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No decision record for request {requestId}");
    }
}
