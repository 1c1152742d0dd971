using System.Net;
using System.Text;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// <c>fastly_http_downstream</c>: facts about the client connection. Gatehouse terminates plain HTTP for
/// guests, so every TLS property returns <c>none</c>; bot detection is not implemented.
/// </summary>
internal static class DownstreamHostcalls
{
    private const string Module = "fastly_http_downstream";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "downstream_client_ip_addr", (s, m, a) => WriteAddress(s, m, a.I(0), a.I(1), a.I(2), s.Info.ClientAddress));
        table.Add(Module, "downstream_server_ip_addr", (s, m, a) => WriteAddress(s, m, a.I(0), a.I(1), a.I(2), s.Info.ServerAddress));
        table.Add(Module, "downstream_client_request_id", (s, m, a) =>
        {
            s.Handles.Get<GuestRequest>(a.I(0));
            m.WriteBuffer(Encoding.UTF8.GetBytes(s.Info.RequestId), a.I(1), a.I(2), a.I(3));
        });
        foreach (var name in new[]
                 {
                     "downstream_tls_cipher_openssl_name", "downstream_tls_protocol", "downstream_tls_client_hello",
                     "downstream_tls_client_servername", "downstream_tls_raw_client_certificate", "downstream_tls_ja4",
                     "downstream_client_h2_fingerprint", "downstream_client_oh_fingerprint",
                 })
        {
            table.Add(Module, name, (s, m, a) => throw Fail(FastlyStatus.None));
        }

        table.Add(Module, "downstream_tls_ja3_md5", (s, m, a) => throw Fail(FastlyStatus.None));
    }

    private static void WriteAddress(Runtime.RequestState state, GuestMemory memory, int handle, int octets, int nwritten, IPAddress? address)
    {
        if (handle != state.DownstreamRequest)
        {
            throw Fail(FastlyStatus.BadHandle, "not the downstream request");
        }

        if (address is null)
        {
            memory.WriteU32(nwritten, 0);
            return;
        }

        memory.WriteIpAddress(address, octets, nwritten);
    }
}
