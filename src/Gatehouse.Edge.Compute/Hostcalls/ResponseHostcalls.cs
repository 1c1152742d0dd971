using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_http_resp</c>: response handles and sending the response downstream.</summary>
internal static class ResponseHostcalls
{
    private const string Module = "fastly_http_resp";

    public static void Register(HostcallTable table)
    {
        HeaderAccess.Register(table, Module, (s, h) => s.Handles.Get<GuestResponse>(h).Headers);
        table.Add(Module, "new", (s, m, a) => m.WriteU32(a.I(0), s.Handles.Add(new GuestResponse())));
        table.Add(Module, "status_get", (s, m, a) => m.WriteU16(a.I(1), (ushort)s.Handles.Get<GuestResponse>(a.I(0)).Status));
        table.Add(Module, "status_set", SetStatus);
        table.Add(Module, "version_get", (s, m, a) => m.WriteU32(a.I(1), s.Handles.Get<GuestResponse>(a.I(0)).Version));
        table.Add(Module, "version_set", (s, m, a) => s.Handles.Get<GuestResponse>(a.I(0)).Version = (uint)a.I(1));
        table.Add(Module, "framing_headers_mode_set", (s, m, a) => s.Handles.Get<GuestResponse>(a.I(0)));
        table.Add(Module, "send_downstream", SendDownstream);
        table.Add(Module, "get_addr_dest_ip", (s, m, a) =>
        {
            var address = s.Handles.Get<GuestResponse>(a.I(0)).RemoteAddress ?? throw Fail(FastlyStatus.None);
            m.WriteIpAddress(address, a.I(1), a.I(2));
        });
        table.Add(Module, "get_addr_dest_port", (s, m, a) =>
        {
            var response = s.Handles.Get<GuestResponse>(a.I(0));
            if (response.RemoteAddress is null)
            {
                throw Fail(FastlyStatus.None);
            }

            m.WriteU16(a.I(1), (ushort)response.RemotePort);
        });
        table.Add(Module, "close", (s, m, a) =>
        {
            s.Handles.Get<GuestResponse>(a.I(0));
            s.Handles.Remove(a.I(0));
        });
    }

    private static void SetStatus(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var status = args.I(1);
        if (status is < 100 or > 999)
        {
            throw Fail(FastlyStatus.HttpInvalidStatus);
        }

        state.Handles.Get<GuestResponse>(args.I(0)).Status = status;
    }

    private static void SendDownstream(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var response = state.Handles.Get<GuestResponse>(args.I(0));
        var body = state.Handles.Get<GuestBody>(args.I(1));
        if (state.Responder.HasResponded)
        {
            throw Fail(FastlyStatus.Error, "a response was already sent downstream");
        }

        if (response.Status is < 200 and not 103)
        {
            throw Fail(FastlyStatus.HttpUser, "informational responses cannot be sent downstream");
        }

        state.Responder.Send(response, body, streaming: args.I(2) != 0);
    }
}
