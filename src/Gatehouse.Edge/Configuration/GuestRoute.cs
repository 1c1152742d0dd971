namespace Gatehouse.Edge.Configuration;

/// <summary>The Fastly Compute package of a guest route and its per-request limits.</summary>
public sealed record GuestRoute
{
    /// <summary>Full path of the guest's compiled wasm (bin/main.wasm of a package).</summary>
    public required string WasmPath { get; init; }

    /// <summary>Full path of the package's fastly.toml, read for backends and stores; null when it has none.</summary>
    public string? FastlyTomlPath { get; init; }

    /// <summary>True for auth = "token": the route is protected and the guest sees the subject in X-Gatehouse-Subject.</summary>
    public bool RequiresToken { get; init; }

    /// <summary>CPU time per request. Default 50 ms.</summary>
    public TimeSpan CpuTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest linear memory per request, in bytes. Default 128 MiB.</summary>
    public long HeapBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Backend requests per guest request. Default 32.</summary>
    public int MaxBackendRequests { get; init; } = 32;
}
