using System.Runtime.InteropServices;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace Gatehouse.Bench.Compute;

/// <summary>
/// Compares engine variants on the calling thread, interleaved in small blocks so that load from other
/// processes hits every variant alike. Per iteration it records thread CPU time and the thread's minor page
/// faults, for instantiation alone and for a whole guest run (instantiate, <c>_start</c>, response, teardown).
/// </summary>
internal static partial class Profile
{
    private const int Block = 20;

    private static readonly Dictionary<string, Action<Config, PoolingAllocationConfig>> Variants = new()
    {
        ["base"] = (_, _) => { },
        ["linker"] = (_, _) => { },
        ["keep1m"] = (_, p) => p.WithLinearMemoryKeepResidentBytes(1024 * 1024),
        ["keep16m"] = (_, p) => p.WithLinearMemoryKeepResidentBytes(16 * 1024 * 1024),
        ["tablekeep"] = (_, p) => p.WithTableKeepResidentBytes(2 * 1024 * 1024),
        ["tablekeep256k"] = (_, p) => p.WithTableKeepResidentBytes(256 * 1024),
        ["batch8"] = (_, p) => p.WithDecommitBatchSize(8),
        ["warm0"] = (_, p) => p.WithMaxUnusedWarmSlots(0),
        ["noguard"] = (c, _) => c.WithMemoryGuardSize(0),
        ["speedsize"] = (c, _) => c.WithOptimizationLevel(OptimizationLevel.SpeedAndSize),
        ["nocow"] = (c, _) => c.WithMemoryInitCopyOnWrite(false),
    };

    private static long _exceptions;

    public static int Run(string wasm, int count, IReadOnlyList<string> names)
    {
        AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref _exceptions);
        var runs = names.Select(name => new VariantRun(name, wasm, Variants[name])).ToList();
        for (var i = 0; i < 3; i++)
        {
            // Warm-up: JIT of the host side and first-touch of every pool slot the loop will reuse.
            runs.ForEach(r => r.Measure(Block, record: false));
        }

        for (var done = 0; done < count; done += Block)
        {
            runs.ForEach(r => r.Measure(Block, record: true));
        }

        Console.WriteLine("| variant | instantiate CPU median µs | mean µs | faults | whole run CPU median µs | mean µs | p99 µs | faults | allocated |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        runs.ForEach(r => r.Print());
        Console.WriteLine($"first-chance exceptions per whole run: {(double)_exceptions / (runs.Count * (count + (3 * Block))):F2}");
        runs.ForEach(r => r.Dispose());
        return 0;
    }

    private sealed class VariantRun : IDisposable
    {
        private readonly string _name;
        private readonly ComputeRuntime _runtime;
        private readonly GuestModule _module;
        private readonly BackendClient _backends = new();
        private readonly List<(double Cpu, long Faults)> _instantiate = [];
        private readonly List<(double Cpu, long Faults)> _whole = [];
        private long _allocated;

        public VariantRun(string name, string wasm, Action<Config, PoolingAllocationConfig> tune)
        {
            _name = name;
            var cache = Path.Combine(Path.GetTempPath(), "gatehouse-compiled-profile", name);
            _runtime = new ComputeRuntime(new ComputeLimits(), cache, NullLoggerFactory.Instance, pooling: true, tune);
            _module = _runtime.Load(wasm);
            _module.UseInstancePre = name != "linker";
        }

        public void Measure(int count, bool record)
        {
            for (var i = 0; i < count; i++)
            {
                var sample = Sample(() =>
                {
                    using var store = new Store(_runtime.Engine);
                    store.SetLimits(memorySize: _runtime.Limits.HeapBytes);
                    store.SetWasiConfiguration(new WasiConfiguration());
                    store.SetEpochDeadline(1000);
                    _module.Instantiate(store);
                });
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var whole = Sample(RunGuest);
                _allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (record)
                {
                    _instantiate.Add(sample);
                    _whole.Add(whole);
                }
            }
        }

        private void RunGuest()
        {
            var context = new DefaultHttpContext();
            var responder = new HttpContextResponder(context);
            var state = new RequestState(new GuestEnvironment(), _runtime.Limits, _backends, NullLogger.Instance)
            {
                Info = new GuestRequestContext { RequestId = "bench" },
                Responder = responder,
            }.WithDownstream(new GuestRequest { Uri = "http://localhost/" }, new GuestBody(Stream.Null, 0));
            var (failure, cause, _) = new GuestExecution(_module, state).Run();
            if (failure is not null || !responder.HasResponded)
            {
                throw new InvalidOperationException($"guest run failed: {failure} {cause}");
            }
        }

        public void Print()
        {
            static (double Median, double Mean, double P99, double Faults) Stats(List<(double Cpu, long Faults)> samples)
            {
                var cpuTimes = samples.Select(s => s.Cpu).Order().ToList();
                return (cpuTimes[cpuTimes.Count / 2], cpuTimes.Average(), cpuTimes[(int)(cpuTimes.Count * 0.99)], samples.Average(s => s.Faults));
            }

            var instantiation = Stats(_instantiate);
            var run = Stats(_whole);
            Console.WriteLine($"| {_name} | {instantiation.Median:F1} | {instantiation.Mean:F1} | {instantiation.Faults:F0} | {run.Median:F1} | {run.Mean:F1} | {run.P99:F1} | {run.Faults:F0} | {_allocated / (double)_whole.Count / 1024:F1} KiB |");
        }

        public void Dispose()
        {
            _backends.Dispose();
            _module.Dispose();
            _runtime.Dispose();
        }
    }

    private static (double Cpu, long Faults) Sample(Action action)
    {
        var faults = MinorFaults();
        var cpu = ThreadCpuClock.NowTicks();
        action();
        var elapsed = TimeSpan.FromTicks(ThreadCpuClock.NowTicks() - cpu).TotalMicroseconds;
        return (elapsed, MinorFaults() - faults);
    }

    // getrusage(RUSAGE_THREAD) fills two timevals and then longs, and ru_minflt is the fifth of those longs.
    private static long MinorFaults()
    {
        Span<long> usage = stackalloc long[18];
        GetRusage(1, ref MemoryMarshal.GetReference(usage));
        return usage[8];
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long usage);
}
