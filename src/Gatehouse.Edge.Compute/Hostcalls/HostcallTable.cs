using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// A hostcall body. It reads its arguments from <c>args</c> (wasm32 pointers and lengths as <c>i32</c>), writes
/// results through <see cref="GuestMemory"/>, and raises <see cref="HostcallException"/> for any status but ok.
/// </summary>
internal delegate void Hostcall(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args);

/// <summary>The implemented hostcalls, keyed by import module and name.</summary>
internal sealed class HostcallTable
{
    private readonly Dictionary<(string Module, string Name), Hostcall> _calls = [];

    public static HostcallTable Default { get; } = Build();

    public IEnumerable<(string Module, string Name)> Names => _calls.Keys;

    public void Add(string module, string name, Hostcall call) => _calls[(module, name)] = call;

    public bool TryGet(string module, string name, out Hostcall call) => _calls.TryGetValue((module, name), out call!);

    private static HostcallTable Build()
    {
        var table = new HostcallTable();
        RequestHostcalls.Register(table);
        RequestHeaderHostcalls.Register(table);
        SendHostcalls.Register(table);
        ResponseHostcalls.Register(table);
        BodyHostcalls.Register(table);
        DownstreamHostcalls.Register(table);
        BackendHostcalls.Register(table);
        StoreHostcalls.Register(table);
        KvStoreHostcalls.Register(table);
        ErlHostcalls.Register(table);
        MiscHostcalls.Register(table);
        return table;
    }
}
