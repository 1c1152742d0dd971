using System.Text;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// <c>fastly_backend</c>: properties of the static backends. Dynamic backends and TLS settings are not
/// implemented and return Unsupported.
/// </summary>
internal static class BackendHostcalls
{
    private const string Module = "fastly_backend";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "exists", (s, m, a) => m.WriteU32(a.I(2), SendHostcalls.FindBackend(s, a.Str(m, 0)) is null ? 0u : 1u));
        // backend_health: 0 unknown, 1 healthy, 2 unhealthy. Static backends have no health checks here.
        table.Add(Module, "is_healthy", (s, m, a) =>
        {
            Find(s, m, a);
            m.WriteU32(a.I(2), 0);
        });
        table.Add(Module, "is_dynamic", (s, m, a) =>
        {
            Find(s, m, a);
            m.WriteU32(a.I(2), 0);
        });
        table.Add(Module, "is_ssl", (s, m, a) => m.WriteU32(a.I(2), Find(s, m, a).Url.Scheme == "https" ? 1u : 0u));
        table.Add(Module, "get_host", (s, m, a) =>
            m.WriteBuffer(Encoding.UTF8.GetBytes(Find(s, m, a).Url.Host), a.I(2), a.I(3), a.I(4)));
        table.Add(Module, "get_override_host", (s, m, a) =>
        {
            var host = Find(s, m, a).OverrideHost ?? throw Fail(FastlyStatus.None);
            m.WriteBuffer(Encoding.UTF8.GetBytes(host), a.I(2), a.I(3), a.I(4));
        });
        table.Add(Module, "get_port", (s, m, a) => m.WriteU16(a.I(2), (ushort)Find(s, m, a).Url.Port));
        table.Add(Module, "get_connect_timeout_ms", (s, m, a) => WriteMs(m, a, Find(s, m, a).ConnectTimeout));
        table.Add(Module, "get_first_byte_timeout_ms", (s, m, a) => WriteMs(m, a, Find(s, m, a).FirstByteTimeout));
        table.Add(Module, "get_between_bytes_timeout_ms", (s, m, a) => WriteMs(m, a, Find(s, m, a).BetweenBytesTimeout));
    }

    private static GuestBackend Find(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var name = args.Str(memory, 0);
        return SendHostcalls.FindBackend(state, name) ?? throw Fail(FastlyStatus.InvalidArgument, $"unknown backend '{name}'");
    }

    private static void WriteMs(GuestMemory memory, ReadOnlySpan<ValueBox> args, TimeSpan value) =>
        memory.WriteU32(args.I(2), (uint)value.TotalMilliseconds);
}
