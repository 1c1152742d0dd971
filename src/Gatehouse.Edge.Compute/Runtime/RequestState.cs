using System.Diagnostics;
using Gatehouse.Edge.Compute.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Everything the hostcalls of one guest request share; it is the Wasmtime store's data.</summary>
internal sealed class RequestState(GuestEnvironment environment, ComputeLimits limits, BackendClient backends, ILogger logger)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _cpuStartTicks;
    private long _hostcallCpuTicks;
    private bool _running;

    public GuestEnvironment Environment { get; } = environment;

    public ComputeLimits Limits { get; } = limits;

    public BackendClient Backends { get; } = backends;

    public ILogger Logger { get; } = logger;

    public HandleTable Handles { get; } = new();

    public uint DownstreamRequest { get; private set; }

    public uint DownstreamBody { get; private set; }

    public required GuestRequestContext Info { get; init; }

    public required IDownstreamResponder Responder { get; init; }

    public CancellationToken Aborted { get; init; }

    public int BackendRequestCount { get; set; }

    /// <summary>Why the request failed inside a hostcall, when it did (for example a backend timeout).</summary>
    public GuestFailure? Failure { get; set; }

    /// <summary>
    /// CPU time of the guest thread since <see cref="StartGuestClock"/>, minus the CPU time spent inside
    /// hostcalls. Hostcalls are host work, compiled by the JIT on the first requests, so they are not charged.
    /// Waiting for a core or for the network uses no CPU time of the thread.
    /// Read it only on the guest thread.
    /// </summary>
    public TimeSpan CpuTime => _running
        ? TimeSpan.FromTicks(Math.Max(0, ThreadCpuClock.NowTicks() - _cpuStartTicks - _hostcallCpuTicks))
        : FinalCpuTime;

    /// <summary>The CPU time frozen when the guest finished (zero before it started), for the outcome record.</summary>
    public TimeSpan FinalCpuTime { get; private set; }

    public TimeSpan WallTime => _clock.Elapsed;

    /// <summary>Registers the downstream request and body as the first two handles.</summary>
    public RequestState WithDownstream(GuestRequest request, GuestBody body)
    {
        DownstreamRequest = Handles.Add(request);
        DownstreamBody = Handles.Add(body);
        return this;
    }

    /// <summary>Starts charging CPU time to the guest; called on the guest thread just before <c>_start</c>.</summary>
    public void StartGuestClock()
    {
        _cpuStartTicks = ThreadCpuClock.NowTicks();
        _running = true;
    }

    /// <summary>Stops charging CPU time and records <see cref="FinalCpuTime"/>.</summary>
    public void StopGuestClock()
    {
        if (_running)
        {
            FinalCpuTime = CpuTime;
            _running = false;
        }
    }

    /// <summary>Adds the CPU time of one hostcall, measured by its caller, to the part that is not charged.</summary>
    public void AddHostcallCpu(long ticks) => _hostcallCpuTicks += ticks;
}
