using System.Reflection;
using System.Runtime.InteropServices;
using Wasmtime;
using Module = Wasmtime.Module;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// A module with every import already resolved against a linker, from Wasmtime's C API
/// (<c>wasmtime_linker_instantiate_pre</c>). <see cref="Linker.Instantiate"/> looks up and type-checks all
/// of the module's imports (181 for the hello guest built with js-compute 3.46.0) on every call; this does it once per module. The .NET
/// package does not expose the type, so this reaches its internal handles by reflection, and
/// <see cref="TryCreate"/> returns null when they are not there (another package version), leaving callers
/// on <see cref="Linker.Instantiate"/>.
/// </summary>
internal sealed partial class InstancePre : IDisposable
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly Binding? Bound = Bind();

    private readonly IntPtr _handle;
    private readonly Linker _linker;
    private readonly Module _module;

    private InstancePre(IntPtr handle, Linker linker, Module module)
    {
        _handle = handle;
        _linker = linker;
        _module = module;
    }

    /// <summary>Resolves the imports of <paramref name="module"/> against <paramref name="linker"/>. Returns null when that is unavailable or an import is unresolvable.</summary>
    public static InstancePre? TryCreate(Linker linker, Module module)
    {
        if (Bound is not { } bound)
        {
            return null;
        }

        var error = NewInstancePre(bound.Handle(linker), bound.Handle(module), out var handle);
        GC.KeepAlive(linker);
        GC.KeepAlive(module);
        if (error != IntPtr.Zero)
        {
            // Taking ownership frees the error. An import the linker cannot satisfy then fails each request's
            // Linker.Instantiate, as it would without this.
            _ = bound.Error(error);
            return null;
        }

        return new InstancePre(handle, linker, module);
    }

    /// <summary>Creates an instance in <paramref name="store"/>, throwing <see cref="WasmtimeException"/> as <see cref="Linker.Instantiate"/> does.</summary>
    public Instance Instantiate(Store store)
    {
        var bound = Bound!;
        var context = (IntPtr)bound.StoreContext.GetValue(store)!;
        var error = InstantiatePre(_handle, context, out var instance, out var trap);
        GC.KeepAlive(store);
        if (error != IntPtr.Zero)
        {
            throw bound.Error(error);
        }

        if (trap != IntPtr.Zero)
        {
            throw bound.Trap(trap);
        }

        var externValue = Activator.CreateInstance(bound.ExternInstance)!;
        bound.ExternStore.SetValue(externValue, instance.Store);
        bound.ExternPrivate.SetValue(externValue, instance.Private);
        return (Instance)bound.InstanceConstructor.Invoke([store, externValue]);
    }

    public void Dispose()
    {
        DeleteInstancePre(_handle);
        GC.KeepAlive(_linker);
        GC.KeepAlive(_module);
    }

    private static Binding? Bind()
    {
        try
        {
            var assembly = typeof(Linker).Assembly;
            var externInstance = assembly.GetType("Wasmtime.ExternInstance");
            var binding = new Binding(
                typeof(Linker).GetField("handle", Internal),
                typeof(Module).GetField("handle", Internal),
                typeof(Store).GetField("contextHandle", Internal),
                externInstance,
                externInstance?.GetField("store", Internal | BindingFlags.Public),
                externInstance?.GetField("__private", Internal | BindingFlags.Public),
                externInstance is null ? null : typeof(Instance).GetConstructor(Internal, [typeof(Store), externInstance]),
                typeof(WasmtimeException).GetMethod("FromOwnedError", BindingFlags.Static | BindingFlags.NonPublic),
                typeof(TrapException).GetMethod("FromOwnedTrap", BindingFlags.Static | BindingFlags.NonPublic));
            return binding.IsComplete ? binding : null;
        }
        catch (Exception exception) when (exception is TypeLoadException or AmbiguousMatchException)
        {
            return null;
        }
    }

    /// <summary>Internal members of the Wasmtime package that this class uses, looked up once.</summary>
    private sealed record Binding(
        FieldInfo? LinkerHandle,
        FieldInfo? ModuleHandle,
        FieldInfo? StoreContextField,
        Type? ExternInstanceType,
        FieldInfo? ExternStoreField,
        FieldInfo? ExternPrivateField,
        ConstructorInfo? InstanceConstructorInfo,
        MethodInfo? FromOwnedError,
        MethodInfo? FromOwnedTrap)
    {
        public bool IsComplete => LinkerHandle is not null && ModuleHandle is not null && StoreContextField is not null
            && ExternInstanceType is not null && ExternStoreField is not null && ExternPrivateField is not null
            && InstanceConstructorInfo is not null && FromOwnedError is not null && FromOwnedTrap is not null;

        public FieldInfo StoreContext => StoreContextField!;

        public Type ExternInstance => ExternInstanceType!;

        public FieldInfo ExternStore => ExternStoreField!;

        public FieldInfo ExternPrivate => ExternPrivateField!;

        public ConstructorInfo InstanceConstructor => InstanceConstructorInfo!;

        public IntPtr Handle(Linker linker) => ((SafeHandle)LinkerHandle!.GetValue(linker)!).DangerousGetHandle();

        public IntPtr Handle(Module module) => ((SafeHandle)ModuleHandle!.GetValue(module)!).DangerousGetHandle();

        public Exception Error(IntPtr error) => (Exception)FromOwnedError!.Invoke(null, [error])!;

        public Exception Trap(IntPtr trap) => (Exception)FromOwnedTrap!.Invoke(null, [trap, true])!;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeInstance
    {
        public ulong Store;
        public nuint Private;
    }

    [LibraryImport("wasmtime", EntryPoint = "wasmtime_linker_instantiate_pre")]
    private static partial IntPtr NewInstancePre(IntPtr linker, IntPtr module, out IntPtr instancePre);

    [LibraryImport("wasmtime", EntryPoint = "wasmtime_instance_pre_instantiate")]
    private static partial IntPtr InstantiatePre(IntPtr instancePre, IntPtr context, out NativeInstance instance, out IntPtr trap);

    [LibraryImport("wasmtime", EntryPoint = "wasmtime_instance_pre_delete")]
    private static partial void DeleteInstancePre(IntPtr instancePre);
}
