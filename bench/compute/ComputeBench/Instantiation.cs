using System.Diagnostics;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace Gatehouse.Bench.Compute;

/// <summary>
/// Times what a request pays before the guest's code runs (a store, its limits and the instantiation),
/// then a whole guest run through <see cref="GuestRunner"/> without HTTP.
/// </summary>
internal static class Instantiation
{
    public static int Run(string wasm, int count, bool pooling = true)
    {
        var cache = Path.Combine(Path.GetTempPath(), "gatehouse-compiled");
        using var runtime = new ComputeRuntime(new ComputeLimits(), cache, NullLoggerFactory.Instance, pooling);
        using var module = runtime.Load(wasm);
        Report("store only (create, limits, dispose)", Measure(count, () =>
        {
            using var store = new Store(runtime.Engine);
            store.SetLimits(memorySize: runtime.Limits.HeapBytes);
        }));
        Report("store + WASI configuration", Measure(count, () =>
        {
            using var store = new Store(runtime.Engine);
            store.SetLimits(memorySize: runtime.Limits.HeapBytes);
            store.SetWasiConfiguration(new WasiConfiguration());
        }));
        Report("instantiate (store + WASI + Linker.Instantiate)", Measure(count, () =>
        {
            using var store = new Store(runtime.Engine);
            store.SetLimits(memorySize: runtime.Limits.HeapBytes);
            store.SetWasiConfiguration(new WasiConfiguration());
            module.Linker.Instantiate(store, module.Module);
        }));
        Report("instantiate (store + WASI + imports resolved once per module, what requests use)", Measure(count, () =>
        {
            using var store = new Store(runtime.Engine);
            store.SetLimits(memorySize: runtime.Limits.HeapBytes);
            store.SetWasiConfiguration(new WasiConfiguration());
            module.Instantiate(store);
        }));

        using var runner = new GuestRunner(module, new GuestEnvironment());
        var outcomes = new List<GuestOutcome>();
        Report("guest run (instantiate + _start + response, no HTTP)", Measure(count, () =>
        {
            var context = new DefaultHttpContext();
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("localhost");
            context.Request.Path = "/";
            outcomes.Add(runner.RunAsync(context, new GuestRequestContext { RequestId = "bench" }, CancellationToken.None).GetAwaiter().GetResult());
        }));
        Report("  of which instantiation", outcomes.Select(o => o.InstantiateTime.TotalMicroseconds).ToList());
        Report("  guest CPU time charged", outcomes.Select(o => o.CpuTime.TotalMicroseconds).ToList());
        Console.WriteLine($"failures: {outcomes.Count(o => o.Failure is not null)} of {outcomes.Count}");
        return 0;
    }

    private static List<double> Measure(int count, Action action)
    {
        for (var i = 0; i < Math.Min(200, count); i++)
        {
            action();
        }

        var samples = new List<double>(count);
        var cpuStart = ThreadCpuClock.NowTicks();
        var wallStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        // Thread CPU time per iteration does not grow when other processes take the cores, unlike wall time.
        var cpu = TimeSpan.FromTicks(ThreadCpuClock.NowTicks() - cpuStart).TotalMicroseconds / count;
        Console.WriteLine($"  mean thread CPU per iteration {cpu:F1} µs, mean wall {Stopwatch.GetElapsedTime(wallStart).TotalMicroseconds / count:F1} µs");
        return samples;
    }

    private static void Report(string name, List<double> samples)
    {
        samples.Sort();
        Console.WriteLine($"{name}: n={samples.Count} median={samples[samples.Count / 2]:F1} µs p99={samples[(int)(samples.Count * 0.99)]:F1} µs");
    }
}
