using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// One Wasmtime engine with epoch interruption, a ticker thread that advances the epoch every
/// millisecond (so a running guest reaches its deadline callback within about a millisecond of its CPU
/// limit), and the pooling allocator sized for <see cref="ComputeLimits.MaxConcurrentGuests"/> instances of
/// <see cref="ComputeLimits.HeapBytes"/> each. Create one per process and load guest modules from it.
/// </summary>
public sealed class ComputeRuntime : IDisposable
{
    // The JS runtime's function table has tens of thousands of entries, more than Wasmtime's default cap.
    private const nuint PoolTableElements = 200_000;
    private const nuint PoolInstanceBytes = 4 * 1024 * 1024;

    // Bytes of a released memory zeroed and kept mapped for the next guest, rather than handed back to the
    // kernel. More means fewer page faults in the guest but more zeroing at each release. In bench/compute
    // on a 2-core VM, 1 MiB made instantiation 100 µs instead of 66 µs with no gain in the guest run, and
    // 16 MiB halved the hello guest's CPU time but made the whole run longer.
    private const nuint PoolKeepResidentBytes = 0;

    private readonly Thread _ticker;
    private volatile bool _stopping;

    public ComputeRuntime(ComputeLimits? limits = null, string? cacheDirectory = null, ILoggerFactory? loggerFactory = null)
        : this(limits, cacheDirectory, loggerFactory, pooling: true)
    {
    }

    /// <summary>
    /// Lets the benchmark compare instantiation with and without the pooling allocator, and engine or pool
    /// settings (<paramref name="tune"/> runs before the engine is created).
    /// </summary>
    internal ComputeRuntime(ComputeLimits? limits, string? cacheDirectory, ILoggerFactory? loggerFactory, bool pooling,
        Action<Config, PoolingAllocationConfig>? tune = null)
    {
        Limits = limits ?? new ComputeLimits();
        CacheDirectory = cacheDirectory;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        using var poolingConfig = PoolingConfig(Limits);
        using var config = new Config()
            .WithEpochInterruption(true)
            .WithMaximumStackSize(Limits.StackBytes)
            .WithMemoryInitCopyOnWrite(true);
        tune?.Invoke(config, poolingConfig);
        if (pooling)
        {
            config.WithPoolingAllocationStrategy(poolingConfig);
        }

        Engine = new Engine(config);
        GuestThreads = new GuestThreadPool(Limits.MaxConcurrentGuests, Limits.StackBytes, () => WarmUp(Engine));
        _ticker = new Thread(Tick) { IsBackground = true, Name = "gatehouse-epoch" };
        _ticker.Start();
    }

    /// <summary>How often the ticker advances the engine's epoch.</summary>
    internal static TimeSpan EpochTick { get; } = TimeSpan.FromMilliseconds(1);

    public ComputeLimits Limits { get; }

    /// <summary>Folder for compiled modules (<c>Module.Serialize</c> output); null disables the cache.</summary>
    public string? CacheDirectory { get; }

    public ILoggerFactory LoggerFactory { get; }

    internal Engine Engine { get; }

    internal GuestThreadPool GuestThreads { get; }

    /// <summary>Wasmtime's version, part of the compiled-module cache key.</summary>
    internal static string WasmtimeVersion { get; } =
        typeof(Engine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Compiles <paramref name="wasmPath"/>, or loads its compiled form from the cache.</summary>
    public GuestModule Load(string wasmPath) => GuestModule.Load(this, wasmPath);

    /// <summary>
    /// Calls into a trivial module once on a guest thread, so the JIT compiles the managed side of a wasm
    /// call and Wasmtime sets up the thread before the first request, where both would be charged as guest
    /// CPU time.
    /// </summary>
    private static void WarmUp(Engine engine)
    {
        using var module = Module.FromText(engine, "warm-up", """(module (func (export "_start")))""");
        using var linker = new Linker(engine);
        using var store = new Store(engine);
        store.SetEpochDeadline(1_000_000);
        linker.Instantiate(store, module).GetAction("_start")!();
    }

    private void Tick()
    {
        while (!_stopping)
        {
            Thread.Sleep(EpochTick);
            Engine.IncrementEpoch();
        }
    }

    /// <summary>
    /// Slots for every guest that may run at once, plus headroom for instances still being torn down when
    /// the next request starts. A slot reserves address space for its memory up front. Its pages are
    /// committed on use and go back to the kernel on release.
    /// </summary>
    private static PoolingAllocationConfig PoolingConfig(ComputeLimits limits)
    {
        var slots = (uint)Math.Max(1, limits.MaxConcurrentGuests * 2);
        return new PoolingAllocationConfig()
            .WithMaxCoreInstances(slots)
            .WithMaxMemories(slots)
            .WithMaxTables(slots)
            .WithMaxMemorySize((nuint)limits.HeapBytes)
            .WithMaxTableElements(PoolTableElements)
            .WithMaxCoreInstanceSize(PoolInstanceBytes)
            .WithLinearMemoryKeepResidentBytes(PoolKeepResidentBytes);
    }

    public void Dispose()
    {
        _stopping = true;
        _ticker.Join();
        GuestThreads.Dispose();
        Engine.Dispose();
    }
}
