using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Hostcalls;
using Microsoft.Extensions.Logging;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// A compiled guest and a linker that defines every one of its imports: the hostcalls Gatehouse
/// implements, Wasmtime's own <c>wasi_snapshot_preview1</c>, and for any other import a function that
/// returns Unsupported and logs its name once.
/// </summary>
public sealed class GuestModule : IDisposable
{
    private readonly ConcurrentDictionary<string, bool> _reportedUnsupported = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly InstancePre? _instancePre;

    private GuestModule(ComputeRuntime runtime, Module module, string sha256)
    {
        Runtime = runtime;
        Module = module;
        Sha256 = sha256;
        _logger = runtime.LoggerFactory.CreateLogger("Gatehouse.Edge.Compute.Guest");
        Linker = BuildLinker();
        _instancePre = InstancePre.TryCreate(Linker, Module);
        if (_instancePre is null)
        {
            GuestLog.ImportsResolvedPerRequest(_logger, sha256);
        }
    }

    public ComputeRuntime Runtime { get; }

    /// <summary>Hex SHA-256 of the wasm bytes.</summary>
    public string Sha256 { get; }

    /// <summary>Names (<c>module.name</c>) of the imports that return Unsupported.</summary>
    public IReadOnlyList<string> UnsupportedImports { get; private set; } = [];

    internal Module Module { get; }

    internal Linker Linker { get; }

    internal ILogger Logger => _logger;

    /// <summary>Creates an instance of the guest in <paramref name="store"/>, with imports resolved once per module when possible.</summary>
    internal Instance Instantiate(Store store) =>
        UseInstancePre && _instancePre is not null ? _instancePre.Instantiate(store) : Linker.Instantiate(store, Module);

    /// <summary>True when imports are resolved once for the module; false when each request resolves them again.</summary>
    internal bool ResolvesImportsOnce => _instancePre is not null;

    /// <summary>Lets the benchmark compare with <see cref="Linker.Instantiate"/> in the same run.</summary>
    internal bool UseInstancePre { get; set; } = true;

    internal static GuestModule Load(ComputeRuntime runtime, string wasmPath)
    {
        var bytes = File.ReadAllBytes(wasmPath);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var logger = runtime.LoggerFactory.CreateLogger("Gatehouse.Edge.Compute.Guest");
        var clock = Stopwatch.StartNew();
        var cachePath = runtime.CacheDirectory is null
            ? null
            : Path.Combine(runtime.CacheDirectory, $"{sha256}-wasmtime-{ComputeRuntime.WasmtimeVersion}.cwasm");
        if (cachePath is not null && File.Exists(cachePath))
        {
            try
            {
                var cached = Module.DeserializeFile(runtime.Engine, sha256, cachePath);
                GuestLog.LoadedFromCache(logger, sha256, cachePath, clock.ElapsedMilliseconds);
                return new GuestModule(runtime, cached, sha256);
            }
            catch (WasmtimeException exception)
            {
                // A file written by another engine configuration or Wasmtime build is rejected here.
                GuestLog.CacheRejected(logger, cachePath, exception.Message);
            }
        }

        var module = Module.FromBytes(runtime.Engine, sha256, bytes);
        GuestLog.Compiled(logger, sha256, clock.ElapsedMilliseconds);
        if (cachePath is not null)
        {
            WriteCache(cachePath, module.Serialize());
        }

        return new GuestModule(runtime, module, sha256);
    }

    /// <summary>Compiles a module from WebAssembly text, without the cache; for tests of the linker and limits.</summary>
    internal static GuestModule FromText(ComputeRuntime runtime, string name, string wat) =>
        new(runtime, Module.FromText(runtime.Engine, name, wat), name);

    private static void WriteCache(string path, byte[] compiled)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, compiled);
        File.Move(temporary, path, overwrite: true);
    }

    private Linker BuildLinker()
    {
        var linker = new Linker(Runtime.Engine);
        linker.DefineWasi();
        var unsupported = new List<string>();
        foreach (var import in Module.Imports.OfType<FunctionImport>())
        {
            if (import.ModuleName == "wasi_snapshot_preview1")
            {
                continue;
            }

            if (HostcallTable.Default.TryGet(import.ModuleName, import.Name, out var call))
            {
                linker.DefineFunction(import.ModuleName, import.Name, Wrap(import, call), import.Parameters, import.Results);
            }
            else
            {
                unsupported.Add($"{import.ModuleName}.{import.Name}");
                linker.DefineFunction(import.ModuleName, import.Name, Unsupported(import), import.Parameters, import.Results);
            }
        }

        UnsupportedImports = unsupported;
        return linker;
    }

    private Function.UntypedCallbackDelegate Wrap(FunctionImport import, Hostcall call) => (caller, args, results) =>
    {
        var state = (RequestState)caller.GetData()!;
        var status = FastlyStatus.Ok;
        var cpuAtEntry = ThreadCpuClock.NowTicks();
        try
        {
            var memory = caller.GetMemory("memory") ?? throw new HostcallException(FastlyStatus.Error, "guest exports no memory");
            call(state, new GuestMemory(memory), args);
        }
        catch (HostcallException exception)
        {
            status = exception.Status;
            GuestLog.HostcallStatus(_logger, import.ModuleName, import.Name, status, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or OperationCanceledException or AggregateException)
        {
            // The client went away or a stream failed mid-call; the guest sees a generic error.
            status = FastlyStatus.Error;
            GuestLog.HostcallStatus(_logger, import.ModuleName, import.Name, status, exception.Message);
        }
        finally
        {
            state.AddHostcallCpu(ThreadCpuClock.NowTicks() - cpuAtEntry);
        }

        SetStatus(results, status);
    };

    private Function.UntypedCallbackDelegate Unsupported(FunctionImport import) => (caller, args, results) =>
    {
        if (_reportedUnsupported.TryAdd($"{import.ModuleName}.{import.Name}", true))
        {
            GuestLog.Unsupported(_logger, import.ModuleName, import.Name);
        }

        SetStatus(results, FastlyStatus.Unsupported);
    };

    private static void SetStatus(Span<ValueBox> results, FastlyStatus status)
    {
        if (results.Length > 0)
        {
            results[0] = (int)status;
        }
    }

    public void Dispose()
    {
        _instancePre?.Dispose();
        Linker.Dispose();
        Module.Dispose();
    }
}
