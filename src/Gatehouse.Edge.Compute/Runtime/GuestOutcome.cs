using System.Net;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Why a guest request did not end with the guest's own response.</summary>
public enum GuestFailure
{
    /// <summary>The guest used more CPU time than <see cref="ComputeLimits.CpuTime"/>.</summary>
    CpuLimit,

    /// <summary>The request took longer than <see cref="ComputeLimits.WallClock"/>.</summary>
    WallClockLimit,

    /// <summary>The guest trapped, for example after failing to grow its heap past the limit.</summary>
    Trap,

    /// <summary>The guest exited without sending a response.</summary>
    NoResponse,

    /// <summary>A backend did not respond within its first-byte timeout and the guest sent no response.</summary>
    BackendTimeout,

    /// <summary>The module could not be instantiated.</summary>
    Instantiation,
}

/// <summary>What happened to one guest request, for the decision record.</summary>
public sealed record GuestOutcome
{
    /// <summary>Status sent downstream: the guest's, or 500 (504 for a backend timeout) when it failed.</summary>
    public required int Status { get; init; }

    /// <summary>Null when the guest sent its own response.</summary>
    public GuestFailure? Failure { get; init; }

    /// <summary>Trap message or other detail of the failure; never contains request data.</summary>
    public string? Cause { get; init; }

    public TimeSpan InstantiateTime { get; init; }

    public TimeSpan WallTime { get; init; }

    public TimeSpan CpuTime { get; init; }

    public int BackendRequests { get; init; }
}

/// <summary>Facts about a downstream request that the guest reads through hostcalls.</summary>
public sealed record GuestRequestContext
{
    public IPAddress? ClientAddress { get; init; }

    public IPAddress? ServerAddress { get; init; }

    /// <summary>Request id the guest reads with <c>downstream_client_request_id</c>.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>Backends added to the package's own for this request, for example <c>balancer</c>.</summary>
    public IReadOnlyDictionary<string, GuestBackend> Backends { get; init; } = new Dictionary<string, GuestBackend>();
}
