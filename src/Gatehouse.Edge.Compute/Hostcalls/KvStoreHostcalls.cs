using System.Text;
using System.Text.Json;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// <c>fastly_kv_store</c> over in-memory stores. Each operation completes when it starts, so its pending
/// handle is ready at once; the <c>*_wait</c> calls return the stored result and a <c>kv_error</c>
/// (1 ok, 3 not found).
/// </summary>
internal static class KvStoreHostcalls
{
    private const string Module = "fastly_kv_store";
    private const uint KvOk = 1;
    private const uint KvNotFound = 3;

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "open", (s, m, a) =>
        {
            var name = a.Str(m, 0);
            var store = s.Environment.KvStores.TryGetValue(name, out var found)
                ? found
                : throw Fail(FastlyStatus.InvalidArgument, $"no KV store named '{name}'");
            m.WriteU32(a.I(2), s.Handles.Add(store));
        });
        table.Add(Module, "lookup", (s, m, a) =>
            m.WriteU32(a.I(5), s.Handles.Add(new KvLookup(s.Handles.Get<KvStore>(a.I(0)).Get(a.Str(m, 1))))));
        table.Add(Module, "lookup_wait", (s, m, a) => WaitLookup(s, m, a, wideGeneration: false));
        table.Add(Module, "lookup_wait_v2", (s, m, a) => WaitLookup(s, m, a, wideGeneration: true));
        table.Add(Module, "insert", Insert);
        table.Add(Module, "insert_wait", (s, m, a) => m.WriteU32(a.I(1), s.Handles.Get<KvDone>(a.I(0)).Error));
        table.Add(Module, "delete", (s, m, a) =>
        {
            var found = s.Handles.Get<KvStore>(a.I(0)).Delete(a.Str(m, 1));
            m.WriteU32(a.I(5), s.Handles.Add(new KvDone(found ? KvOk : KvNotFound)));
        });
        table.Add(Module, "delete_wait", (s, m, a) => m.WriteU32(a.I(1), s.Handles.Get<KvDone>(a.I(0)).Error));
        table.Add(Module, "list", List);
        table.Add(Module, "list_wait", (s, m, a) =>
        {
            var listing = s.Handles.Get<KvListing>(a.I(0));
            var body = new GuestBody();
            body.Write(listing.Json, atFront: false);
            m.WriteU32(a.I(1), s.Handles.Add(body));
            m.WriteU32(a.I(2), KvOk);
        });
    }

    private static void WaitLookup(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args, bool wideGeneration)
    {
        var entry = state.Handles.Get<KvLookup>(args.I(0)).Entry;
        if (entry is null)
        {
            memory.WriteU32(args.I(6), KvNotFound);
            return;
        }

        var body = new GuestBody();
        body.Write(entry.Value, atFront: false);
        memory.WriteBuffer(Encoding.UTF8.GetBytes(entry.Metadata ?? ""), args.I(2), args.I(3), args.I(4));
        if (wideGeneration)
        {
            memory.WriteI64(args.I(5), entry.Generation);
        }
        else
        {
            memory.WriteU32(args.I(5), (uint)entry.Generation);
        }

        memory.WriteU32(args.I(1), state.Handles.Add(body));
        memory.WriteU32(args.I(6), KvOk);
    }

    private static void Insert(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var store = state.Handles.Get<KvStore>(args.I(0));
        var key = args.Str(memory, 1);
        var body = state.Handles.Get<GuestBody>(args.I(3));
        var mask = (uint)args.I(4);
        // KVInsertOptions: mode u32 @0, reserved u32 @4, metadata ptr @8, metadata_len @12.
        var options = args.I(5);
        var mode = (mask & ~1u) != 0 ? memory.ReadU32(options) : 0;
        string? metadata = (mask & (1u << 3)) != 0
            ? memory.ReadString((int)memory.ReadU32(options + 8), (int)memory.ReadU32(options + 12))
            : null;
        var value = body.ReadToEnd();
        var existing = store.Get(key);
        var error = KvOk;
        switch (mode)
        {
            case 0:
                store.Put(key, value, metadata);
                break;
            case 1 when existing is not null:
                error = 4;
                break;
            case 1:
                store.Put(key, value, metadata);
                break;
            case 2:
                store.Put(key, [.. existing?.Value ?? [], .. value], metadata ?? existing?.Metadata);
                break;
            case 3:
                store.Put(key, [.. value, .. existing?.Value ?? []], metadata ?? existing?.Metadata);
                break;
            default:
                throw Fail(FastlyStatus.InvalidArgument, "unknown KV insert mode");
        }

        memory.WriteU32(args.I(6), state.Handles.Add(new KvDone(error)));
    }

    private static void List(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var store = state.Handles.Get<KvStore>(args.I(0));
        var mask = (uint)args.I(1);
        // KVListOptions: mode @0, cursor ptr @4, cursor_len @8, limit @12, prefix ptr @16, prefix_len @20.
        var options = args.I(2);
        var prefix = (mask & (1u << 3)) != 0
            ? memory.ReadString((int)memory.ReadU32(options + 16), (int)memory.ReadU32(options + 20))
            : null;
        var cursor = (mask & (1u << 1)) != 0
            ? memory.ReadString((int)memory.ReadU32(options + 4), (int)memory.ReadU32(options + 8))
            : null;
        var limit = (mask & (1u << 2)) != 0 ? (int)memory.ReadU32(options + 12) : 1000;
        var json = JsonSerializer.SerializeToUtf8Bytes(KvListPage.Create(store, prefix, cursor, limit));
        memory.WriteU32(args.I(3), state.Handles.Add(new KvListing(json)));
    }

    private sealed record KvLookup(KvEntry? Entry);

    private sealed record KvDone(uint Error);

    private sealed record KvListing(byte[] Json);
}
