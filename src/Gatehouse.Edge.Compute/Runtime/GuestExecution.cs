using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>One run of a guest: a fresh store and instance with the request's limits, then <c>_start</c>.</summary>
internal sealed class GuestExecution(GuestModule module, RequestState state)
{
    public (GuestFailure? Failure, string? Cause, TimeSpan InstantiateTime) Run()
    {
        var clock = Stopwatch.StartNew();
        using var store = new Store(module.Runtime.Engine, state);
        store.SetLimits(memorySize: state.Limits.HeapBytes);
        store.SetWasiConfiguration(WasiConfiguration());
        store.SetEpochDeadlineCallback(CheckLimits);
        Instance instance;
        try
        {
            // The guest clock is not running yet, so instantiation is not charged to the guest.
            instance = module.Instantiate(store);
        }
        catch (WasmtimeException exception)
        {
            return (GuestFailure.Instantiation, exception.Message, clock.Elapsed);
        }

        var instantiateTime = clock.Elapsed;
        var start = instance.GetAction("_start");
        if (start is null)
        {
            return (GuestFailure.Instantiation, "the module exports no _start function", instantiateTime);
        }

        store.SetEpochDeadline(TicksUntilNextCheck());
        state.StartGuestClock();
        try
        {
            start();
            return (null, null, instantiateTime);
        }
        catch (WasmtimeException exception) when (exception.ExitCode == 0)
        {
            return (null, null, instantiateTime);
        }
        catch (WasmtimeException exception)
        {
            return (Classify(exception), Describe(exception), instantiateTime);
        }
        finally
        {
            state.StopGuestClock();
        }
    }

    // Runs on the guest thread each time the store's epoch deadline passes.
    private ulong CheckLimits(Store store)
    {
        if (state.CpuTime > state.Limits.CpuTime)
        {
            throw new GuestLimitException(GuestFailure.CpuLimit, $"CPU time exceeded {state.Limits.CpuTime.TotalMilliseconds} ms");
        }

        if (state.WallTime > state.Limits.WallClock)
        {
            throw new GuestLimitException(GuestFailure.WallClockLimit, $"wall-clock time exceeded {state.Limits.WallClock}");
        }

        return TicksUntilNextCheck();
    }

    /// <summary>
    /// Epoch ticks (about a millisecond each) before the next check. CPU time grows no faster than wall time,
    /// so the guest cannot pass a limit before the smaller of its two remaining budgets has elapsed. Checking
    /// then, rather than every tick, keeps the callback off the hot path.
    /// </summary>
    private ulong TicksUntilNextCheck()
    {
        var remaining = TimeSpan.FromTicks(Math.Min(
            (state.Limits.CpuTime - state.CpuTime).Ticks,
            (state.Limits.WallClock - state.WallTime).Ticks));
        return (ulong)Math.Clamp((long)Math.Ceiling(remaining.TotalMilliseconds / ComputeRuntime.EpochTick.TotalMilliseconds), 1, 1000);
    }

    private static GuestFailure Classify(WasmtimeException exception) =>
        exception.InnerException is GuestLimitException limit ? limit.Failure : GuestFailure.Trap;

    private static string Describe(WasmtimeException exception)
    {
        if (exception.InnerException is GuestLimitException limit)
        {
            return limit.Message;
        }

        var firstLine = exception.Message.Split('\n', 2)[0];
        return exception.ExitCode is { } code ? $"guest exited with code {code}" : firstLine;
    }

    private WasiConfiguration WasiConfiguration()
    {
        var variables = new List<(string, string)>
        {
            ("FASTLY_HOSTNAME", "localhost"),
            ("FASTLY_POP", "LCL"),
            ("FASTLY_REGION", "Local"),
            ("FASTLY_SERVICE_ID", "local"),
            ("FASTLY_SERVICE_VERSION", "0"),
            ("FASTLY_CACHE_GENERATION", "0"),
            ("FASTLY_TRACE_ID", state.Info.RequestId),
        };
        variables.AddRange(state.Environment.Variables.Select(v => (v.Key, v.Value)));
        var logger = state.Logger;
        var requestId = state.Info.RequestId;
        return new WasiConfiguration()
            .WithEnvironmentVariables(variables)
            .WithArg("compute-application")
            .WithStandardOutputCallback(data => GuestLog.StdioLine(logger, "stdout", requestId, Encoding.UTF8.GetString(data).TrimEnd('\n')))
            .WithStandardErrorCallback(data => GuestLog.StdioLine(logger, "stderr", requestId, Encoding.UTF8.GetString(data).TrimEnd('\n')));
    }
}

/// <summary>Thrown from the epoch callback to stop a guest that hit a limit.</summary>
internal sealed class GuestLimitException(GuestFailure failure, string message) : Exception(message)
{
    public GuestFailure Failure { get; } = failure;
}
