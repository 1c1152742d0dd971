using System.Text;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_http_req</c>: request handles, their method, URI, version and cache settings.</summary>
internal static class RequestHostcalls
{
    private const string Module = "fastly_http_req";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "new", (s, m, a) => m.WriteU32(a.I(0), s.Handles.Add(new GuestRequest())));
        table.Add(Module, "method_get", (s, m, a) =>
            m.WriteBuffer(Encoding.UTF8.GetBytes(s.Handles.Get<GuestRequest>(a.I(0)).Method), a.I(1), a.I(2), a.I(3)));
        table.Add(Module, "method_set", SetMethod);
        table.Add(Module, "uri_get", (s, m, a) =>
            m.WriteBuffer(Encoding.UTF8.GetBytes(s.Handles.Get<GuestRequest>(a.I(0)).Uri), a.I(1), a.I(2), a.I(3)));
        table.Add(Module, "uri_set", SetUri);
        table.Add(Module, "version_get", (s, m, a) => m.WriteU32(a.I(1), s.Handles.Get<GuestRequest>(a.I(0)).Version));
        table.Add(Module, "version_set", SetVersion);
        table.Add(Module, "cache_override_set", SetCacheOverride);
        table.Add(Module, "cache_override_v2_set", SetCacheOverride);
        // Framing mode only chooses whether the guest's own Content-Length may be kept; Kestrel and
        // HttpClient always frame messages themselves, which is the default mode.
        table.Add(Module, "framing_headers_mode_set", (s, m, a) => s.Handles.Get<GuestRequest>(a.I(0)));
        table.Add(Module, "auto_decompress_response_set", SetAutoDecompress);
        table.Add(Module, "body_downstream_get", (s, m, a) =>
        {
            m.WriteU32(a.I(0), s.DownstreamRequest);
            m.WriteU32(a.I(1), s.DownstreamBody);
        });
    }

    private static void SetMethod(Runtime.RequestState state, GuestMemory memory, ReadOnlySpan<Wasmtime.ValueBox> args)
    {
        var request = state.Handles.Get<GuestRequest>(args.I(0));
        var method = args.Str(memory, 1);
        if (method.Length == 0 || !method.All(c => c is > ' ' and < '\x7f' and not ('(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}' or '"')))
        {
            throw Fail(FastlyStatus.HttpInvalid, "invalid method");
        }

        request.Method = method;
    }

    private static void SetUri(Runtime.RequestState state, GuestMemory memory, ReadOnlySpan<Wasmtime.ValueBox> args)
    {
        var request = state.Handles.Get<GuestRequest>(args.I(0));
        var uri = args.Str(memory, 1);
        if (!Uri.TryCreate(uri, UriKind.RelativeOrAbsolute, out _))
        {
            throw Fail(FastlyStatus.HttpInvalid, "invalid uri");
        }

        request.Uri = uri;
    }

    private static void SetVersion(Runtime.RequestState state, GuestMemory memory, ReadOnlySpan<Wasmtime.ValueBox> args)
    {
        var version = (uint)args.I(1);
        if (version > 4)
        {
            throw Fail(FastlyStatus.InvalidArgument, "unknown http_version tag");
        }

        state.Handles.Get<GuestRequest>(args.I(0)).Version = version;
    }

    private static void SetCacheOverride(Runtime.RequestState state, GuestMemory memory, ReadOnlySpan<Wasmtime.ValueBox> args)
    {
        // Bit 0 of the cache_override_tag flags is "pass". Gatehouse has no edge cache, so every backend
        // response already behaves as passed; the flag is kept so the guest's intent is visible.
        state.Handles.Get<GuestRequest>(args.I(0)).CachePass = (args.I(1) & 1) != 0;
    }

    private static void SetAutoDecompress(Runtime.RequestState state, GuestMemory memory, ReadOnlySpan<Wasmtime.ValueBox> args)
    {
        state.Handles.Get<GuestRequest>(args.I(0));
        if (args.I(1) != 0)
        {
            throw Fail(FastlyStatus.Unsupported, "automatic response decompression is not implemented");
        }
    }
}
