namespace Gatehouse.Balancer.Runtime;

/// <summary>What happened to one request, gathered for its decision record.</summary>
internal sealed class RequestOutcome
{
    public string Decision { get; set; } = "forward";

    public string? Rule { get; set; }

    public string? Reason { get; set; }

    public string? Backend { get; set; }

    public string? Server { get; set; }
}
