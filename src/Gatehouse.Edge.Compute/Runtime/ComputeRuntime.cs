using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// One Wasmtime engine with epoch interruption and a ticker thread that advances the epoch every
/// millisecond, so a running guest reaches its deadline callback within about a millisecond of its CPU
/// limit. Create one per process and load guest modules from it.
/// </summary>
public sealed class ComputeRuntime : IDisposable
{
    private readonly Thread _ticker;
    private volatile bool _stopping;

    public ComputeRuntime(ComputeLimits? limits = null, string? cacheDirectory = null, ILoggerFactory? loggerFactory = null)
    {
        Limits = limits ?? new ComputeLimits();
        CacheDirectory = cacheDirectory;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        // NOTE: the pooling allocator (Config.WithPoolingAllocationStrategy) is not enabled yet; each store
        // maps its memory on demand.
        using var config = new Config()
            .WithEpochInterruption(true)
            .WithMaximumStackSize(Limits.StackBytes)
            .WithMemoryInitCopyOnWrite(true);
        Engine = new Engine(config);
        _ticker = new Thread(Tick) { IsBackground = true, Name = "gatehouse-epoch" };
        _ticker.Start();
    }

    public ComputeLimits Limits { get; }

    /// <summary>Folder for compiled modules (<c>Module.Serialize</c> output); null disables the cache.</summary>
    public string? CacheDirectory { get; }

    public ILoggerFactory LoggerFactory { get; }

    internal Engine Engine { get; }

    /// <summary>Wasmtime's version, part of the compiled-module cache key.</summary>
    internal static string WasmtimeVersion { get; } =
        typeof(Engine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Compiles <paramref name="wasmPath"/>, or loads its compiled form from the cache.</summary>
    public GuestModule Load(string wasmPath) => GuestModule.Load(this, wasmPath);

    private void Tick()
    {
        while (!_stopping)
        {
            Thread.Sleep(1);
            Engine.IncrementEpoch();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _ticker.Join();
        Engine.Dispose();
    }
}
