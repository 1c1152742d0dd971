namespace Gatehouse.Balancer.Runtime;

/// <summary>What happened to one request, gathered for its decision record, access log line and counters.</summary>
internal sealed class RequestOutcome
{
    public string Decision { get; set; } = "forward";

    public string? Rule { get; set; }

    public string? Reason { get; set; }

    public string? Backend { get; set; }

    public string? Server { get; set; }

    /// <summary>The request's trace id, 32 lowercase hex characters; null until the span starts.</summary>
    public string? TraceId { get; set; }

    /// <summary>The balancer's span id for the request, 16 lowercase hex characters; null until the span starts.</summary>
    public string? SpanId { get; set; }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp when server selection began, or 0 when it did not.</summary>
    public long QueueStarted { get; set; }

    /// <summary>The timestamp when the request got a server slot, or 0 when it got none.</summary>
    public long SlotAcquired { get; set; }

    /// <summary>The timestamp when the response headers were sent to the client, or 0 when they were not.</summary>
    public long ResponseStarted { get; set; }

    /// <summary>Forwarding attempts after the first.</summary>
    public int Retries { get; set; }

    /// <summary>Retries that moved to another server.</summary>
    public int Redispatches { get; set; }

    /// <summary>HAProxy's two-letter termination state when the request ended abnormally, such as "SC"; null for "--".</summary>
    public string? Termination { get; set; }
}
