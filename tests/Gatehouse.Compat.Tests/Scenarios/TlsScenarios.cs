using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>One TLS request of a scenario: the SNI name the client sends and whether it presents the client certificate.</summary>
internal sealed record TlsProbe(ProbeRequest Request, string ServerName = "localhost", bool ClientCertificate = false, bool PlainText = false)
{
    public override string ToString() =>
        $"{Request} (sni {ServerName}{(ClientCertificate ? ", client certificate" : "")}{(PlainText ? ", plain TCP" : "")})";
}

/// <summary>
/// A complete haproxy.cfg with TLS binds or TLS servers, run by real HAProxy and by Gatehouse. The frontend is named fe
/// and binds "127.0.0.1:${FE_PORT}"; ${CRT}, ${CA}, ${CLIENT_CRT}, ${S1} and ${TLS_GOOD|TLS_EXPIRED|TLS_WRONG} are set
/// by the fixtures. <see cref="HeadersAtOrigin"/> names the request headers compared as the plain origins received them.
/// </summary>
internal sealed record TlsScenario(string Name, string Config, TlsProbe[] Probes)
{
    public string[] HeadersAtOrigin { get; init; } = [];

    /// <summary>Compares only statuses, for error responses whose pages each implementation words in its own way.</summary>
    public bool StatusOnly { get; init; }

    /// <summary>
    /// When set, the first probe is repeated (for up to 10 seconds) until two responses in a row have a body starting
    /// with this text, so health checks have settled before the compared requests.
    /// </summary>
    public string? SettledBody { get; init; }

    public override string ToString() => Name;
}

internal static class TlsScenarios
{
    private const string Defaults = """
        defaults
            mode http
            timeout connect 2s
            timeout client 5s
            timeout server 5s

        """;

    public static readonly IReadOnlyDictionary<string, TlsScenario> All = new TlsScenario[]
    {
        new("tls bind fetches", Frontend(
                "ssl crt \"${CRT}\"",
                "http-request set-header X-Proto %[ssl_fc_protocol]\n    http-request set-header X-Sni %[ssl_fc_sni]\n"
                + "    http-request set-header X-Tls %[ssl_fc]\n    http-request set-header X-Cert %[ssl_c_used]")
            + Backend("server s1 \"${S1}\""),
            [new(Get("/a")), new(Get("/b?x=1"), ServerName: "other.name")])
        {
            HeadersAtOrigin = ["x-proto", "x-sni", "x-tls", "x-cert"],
        },
        new("tls bind ssl-min-ver TLSv1.3", Frontend("ssl crt \"${CRT}\" ssl-min-ver TLSv1.3", "http-request set-header X-Proto %[ssl_fc_protocol]")
            + Backend("server s1 \"${S1}\""),
            [new(Get("/a"))])
        {
            HeadersAtOrigin = ["x-proto"],
        },
        new("tls bind acl on ssl_fc_sni", Frontend(
                "ssl crt \"${CRT}\"",
                "http-request deny deny_status 403 if { ssl_fc_sni -m str blocked.test }")
            + Backend("server s1 \"${S1}\""),
            [new(Get("/ok"), ServerName: "allowed.test"), new(Get("/no"), ServerName: "blocked.test")])
        {
            StatusOnly = true,
        },
        new("mutual tls verify required", Frontend(
                "ssl crt \"${CRT}\" verify required ca-file \"${CA}\"",
                "http-request set-header X-Client-DN %[ssl_c_s_dn]\n    http-request set-header X-Verify %[ssl_c_verify]\n"
                + "    http-request set-header X-Cert %[ssl_c_used]")
            + Backend("server s1 \"${S1}\""),
            [new(Get("/with"), ClientCertificate: true), new(Get("/without"))])
        {
            HeadersAtOrigin = ["x-client-dn", "x-verify", "x-cert"],
        },
        new("mutual tls verify optional", Frontend(
                "ssl crt \"${CRT}\" verify optional ca-file \"${CA}\"",
                "http-request set-header X-Cert %[ssl_c_used]")
            + Backend("server s1 \"${S1}\""),
            [new(Get("/with"), ClientCertificate: true), new(Get("/without"))])
        {
            HeadersAtOrigin = ["x-cert"],
        },
        new("tls server verified", Frontend("", "") + Backend("server t1 \"${TLS_GOOD}\" ssl verify required ca-file \"${CA}\" sni str(localhost)"),
            [new(Get("/v"), PlainText: true)]),
        new("tls server wrong host", Frontend("", "") + Backend("server t1 \"${TLS_WRONG}\" ssl verify required ca-file \"${CA}\" sni str(localhost)"),
            [new(Get("/v"), PlainText: true)])
        {
            StatusOnly = true,
        },
        new("tls server expired", Frontend("", "") + Backend("server t1 \"${TLS_EXPIRED}\" ssl verify required ca-file \"${CA}\""),
            [new(Get("/v"), PlainText: true)])
        {
            StatusOnly = true,
        },
        new("tls server verify none", Frontend("", "") + Backend("server t1 \"${TLS_EXPIRED}\" ssl verify none"),
            [new(Get("/v"), PlainText: true)]),
        new("tls server health check", Frontend("", "")
            + Backend("server t1 \"${TLS_EXPIRED}\" ssl verify required ca-file \"${CA}\" check inter 200ms fall 1 rise 1\n"
                + "    server t2 \"${TLS_GOOD}\" ssl verify required ca-file \"${CA}\" check inter 200ms fall 1 rise 1"),
            [new(Get("/1"), PlainText: true), new(Get("/2"), PlainText: true), new(Get("/3"), PlainText: true)])
        {
            SettledBody = "good",
        },
        new("tcp mode tls bind", "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 5s\n    timeout server 5s\n\n"
            + "frontend fe\n    bind \"127.0.0.1:${FE_PORT}\" ssl crt \"${CRT}\"\n    default_backend b1\n\nbackend b1\n    server s1 \"${S1}\"\n",
            [new(Get("/tcp"))]),
    }.ToDictionary(scenario => scenario.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static string Frontend(string bindOptions, string lines) =>
        Defaults + $"frontend fe\n    bind \"127.0.0.1:${{FE_PORT}}\" {bindOptions}\n    {lines}\n    default_backend b1\n\n";

    private static string Backend(string servers) => $"backend b1\n    {servers}\n";
}
