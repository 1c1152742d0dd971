using System.Diagnostics;
using Gatehouse.Edge.Compute.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Everything the hostcalls of one guest request share; it is the Wasmtime store's data.</summary>
internal sealed class RequestState(GuestEnvironment environment, ComputeLimits limits, BackendClient backends, ILogger logger)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _blockedTicks;

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
    /// Time the guest ran, minus time blocked in hostcalls that wait for the network.
    /// NOTE: this is wall time, so time the guest thread waits for a core counts as CPU time.
    /// </summary>
    public TimeSpan CpuTime => TimeSpan.FromTicks(Math.Max(0, _clock.Elapsed.Ticks - _blockedTicks));

    public TimeSpan WallTime => _clock.Elapsed;

    /// <summary>Registers the downstream request and body as the first two handles.</summary>
    public RequestState WithDownstream(GuestRequest request, GuestBody body)
    {
        DownstreamRequest = Handles.Add(request);
        DownstreamBody = Handles.Add(body);
        return this;
    }

    /// <summary>Runs a wait that does not count as guest CPU time.</summary>
    public T Block<T>(Func<T> wait)
    {
        var started = _clock.Elapsed.Ticks;
        try
        {
            return wait();
        }
        finally
        {
            _blockedTicks += _clock.Elapsed.Ticks - started;
        }
    }
}
