namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Per-request limits of a guest. The defaults follow Fastly Compute's published limits.</summary>
public sealed record ComputeLimits
{
    /// <summary>
    /// CPU time of the guest thread a request may use, not counting the CPU time of hostcalls or any waiting.
    /// Default 50 ms.
    /// </summary>
    public TimeSpan CpuTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Wall-clock time a request may take in total, waits included. Default 2 minutes.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Maximum size of the guest's linear memory in bytes. Default 128 MiB.</summary>
    public long HeapBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Maximum wasm stack in bytes, set on the engine. Default 1 MiB.</summary>
    public int StackBytes { get; init; } = 1024 * 1024;

    /// <summary>Backend requests one guest request may send. Default 32.</summary>
    public int MaxBackendRequests { get; init; } = 32;

    /// <summary>
    /// Guests that run at the same time, per runner, and the number of guest threads the runtime starts; more
    /// requests wait. It also sizes the pooling allocator. Default 4 per processor.
    /// </summary>
    public int MaxConcurrentGuests { get; init; } = Environment.ProcessorCount * 4;
}
