using System.Text;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.Extensions.Logging;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_log</c>, <c>fastly_geo</c>, <c>fastly_compute_runtime</c>, <c>fastly_async_io</c> and <c>fastly_abi</c>.</summary>
internal static class MiscHostcalls
{
    // The values Viceroy documents for a local run when no geolocation data is configured.
    private static readonly byte[] DefaultGeo = Encoding.UTF8.GetBytes(
        """{"as_name":"","as_number":0,"area_code":0,"city":"","conn_speed":"broadband","conn_type":"wired","continent":"NA","country_code":"US","country_code3":"USA","country_name":"United States of America","gmt_offset":0,"latitude":0.0,"longitude":0.0,"metro_code":0,"postal_code":"","proxy_description":"?","proxy_type":"?","region":"","utc_offset":0}""");

    public static void Register(HostcallTable table)
    {
        table.Add("fastly_abi", "init", (s, m, a) => { });
        table.Add("fastly_log", "endpoint_get", (s, m, a) => m.WriteU32(a.I(2), s.Handles.Add(new LogEndpoint(a.Str(m, 0)))));
        table.Add("fastly_log", "write", (s, m, a) =>
        {
            var endpoint = s.Handles.Get<LogEndpoint>(a.I(0));
            var message = a.Str(m, 1);
            GuestLog.EndpointLine(s.Logger, endpoint.Name, s.Info.RequestId, message.TrimEnd('\n'));
            m.WriteU32(a.I(3), (uint)a.I(2));
        });
        table.Add("fastly_geo", "lookup", (s, m, a) => m.WriteBuffer(DefaultGeo, a.I(2), a.I(3), a.I(4)));
        table.Add("fastly_compute_runtime", "get_vcpu_ms", (s, m, a) => m.WriteI64(a.I(0), (long)s.CpuTime.TotalMilliseconds));
        table.Add("fastly_compute_runtime", "get_heap_mib", (s, m, a) =>
            m.WriteU32(a.I(0), (uint)(m.Length / (1024 * 1024))));
        table.Add("fastly_async_io", "is_ready", (s, m, a) => m.WriteU32(a.I(1), IsReady(s, a.I(0)) ? 1u : 0u));
        table.Add("fastly_async_io", "select", Select);
    }

    private static bool IsReady(RequestState state, int handle) => state.Handles.Find(handle) switch
    {
        null => throw Fail(FastlyStatus.BadHandle),
        PendingRequest pending => pending.Task.IsCompleted,
        // Bodies, KV results and other handles complete before the hostcall that made them returns.
        _ => true,
    };

    /// <summary>Returns the index of the first ready handle, waiting up to <c>timeout_ms</c> (0 = no timeout); UINT32_MAX on timeout.</summary>
    private static void Select(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var handles = new int[args.I(1)];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = (int)memory.ReadU32(args.I(0) + (i * 4));
        }

        var timeoutMs = (uint)args.I(2);
        for (var i = 0; i < handles.Length; i++)
        {
            if (IsReady(state, handles[i]))
            {
                memory.WriteU32(args.I(3), (uint)i);
                return;
            }
        }

        var tasks = handles.Select(h => (Task)state.Handles.Get<PendingRequest>(h).Task).ToArray();
        var remaining = state.Limits.WallClock - state.WallTime;
        var timeout = timeoutMs == 0 ? remaining : TimeSpan.FromMilliseconds(Math.Min(timeoutMs, remaining.TotalMilliseconds));
        var index = tasks.Length == 0 ? -1 : Task.WaitAny(tasks, timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);
        memory.WriteU32(args.I(3), index < 0 ? uint.MaxValue : (uint)index);
    }

    private sealed record LogEndpoint(string Name);
}
