using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_http_body</c>: reading, writing, appending and closing bodies. Trailers are not implemented.</summary>
internal static class BodyHostcalls
{
    private const string Module = "fastly_http_body";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "new", (s, m, a) => m.WriteU32(a.I(0), s.Handles.Add(new GuestBody())));
        table.Add(Module, "read", (s, m, a) =>
        {
            // Reads straight into the guest buffer. Its bounds check limits the capacity to the guest's memory, so a
            // guest cannot make the host allocate a larger buffer.
            var body = s.Handles.Get<GuestBody>(a.I(0));
            var read = body.Read(m.Slice(a.I(1), a.I(2)));
            m.WriteU32(a.I(3), (uint)read);
        });
        table.Add(Module, "write", (s, m, a) =>
        {
            var body = s.Handles.Get<GuestBody>(a.I(0));
            var data = m.ReadBytes(a.I(1), a.I(2));
            var end = a.I(3);
            if (end is not (0 or 1))
            {
                throw Fail(FastlyStatus.InvalidArgument, "unknown body_write_end");
            }

            body.Write(data, atFront: end == 1);
            m.WriteU32(a.I(4), (uint)data.Length);
        });
        table.Add(Module, "append", (s, m, a) =>
        {
            var destination = s.Handles.Get<GuestBody>(a.I(0));
            var source = s.Handles.Get<GuestBody>(a.I(1));
            destination.Append(source);
            s.Handles.Remove(a.I(1));
        });
        table.Add(Module, "close", (s, m, a) =>
        {
            var body = s.Handles.Get<GuestBody>(a.I(0));
            body.Close();
        });
        table.Add(Module, "abandon", (s, m, a) =>
        {
            s.Handles.Get<GuestBody>(a.I(0)).Close();
            s.Handles.Remove(a.I(0));
        });
        table.Add(Module, "known_length", (s, m, a) =>
        {
            var length = s.Handles.Get<GuestBody>(a.I(0)).KnownLength ?? throw Fail(FastlyStatus.None);
            m.WriteI64(a.I(1), length);
        });
    }
}
