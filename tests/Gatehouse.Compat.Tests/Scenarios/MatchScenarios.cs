using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>More sample fetches and match methods: header and URL variants, integers, addresses and directories.</summary>
internal static class MatchScenarios
{
    public static IEnumerable<CompatScenario> All() =>
    [
        Route("path_dir", "use_backend b2 if { path_dir api }", Get("/v1/api/x"), Get("/v1/apix"), Get("/api"), Get("/v1/api?x")),
        Route("path_dir with slashes in the pattern", "use_backend b2 if { path_dir /v1/api/ }", Get("/v1/api/x"), Get("/x/v1/api"), Get("/v1/apis")),
        Route("match -m dir", "use_backend b2 if { hdr(x-path) -m dir b }", Get("/", "X-Path: a/b/c"), Get("/", "X-Path: a/bc")),
        Route("hdr_beg", "use_backend b2 if { hdr_beg(host) compat. }", Get("/"), Get("/", "X-Other: 1")),
        Route("hdr_end", "use_backend b2 if { hdr_end(x-name) .internal }", Get("/", "X-Name: db.internal"), Get("/", "X-Name: db.public")),
        Route("hdr_sub", "use_backend b2 if { hdr_sub(user-agent) bot }", Get("/", "User-Agent: googlebot/2.1"), Get("/", "User-Agent: curl")),
        Route("url_beg", "use_backend b2 if { url_beg /static/ }", Get("/static/a.css"), Get("/app/static/")),
        Route("url_sub", "use_backend b2 if { url_sub debug=1 }", Get("/a?debug=1"), Get("/a?debug=0")),
        Route("path_sub", "use_backend b2 if { path_sub /admin/ }", Get("/x/admin/y"), Get("/administrator")),
        Route("req.hdr", "use_backend b2 if { req.hdr(x-tier) gold }", Get("/", "X-Tier: gold"), Get("/", "X-Tier: silver")),
        Route("-m int gt", "use_backend b2 if { url_param(n) -m int gt 10 }", Get("/?n=11"), Get("/?n=10"), Get("/?n=x")),
        Route("hdr_cnt eq 0", "use_backend b2 if { hdr_cnt(x-a) eq 0 }", Get("/"), Get("/", "X-A: 1")),
        Route("src -m ip CIDR", "use_backend b2 if { src 127.0.0.0/8 }\nuse_backend b3 if { src 10.0.0.0/8 }", Get("/")),
        Route("src outside CIDR", "use_backend b2 if { src 10.0.0.0/8 192.168.0.0/16 }", Get("/")),
        Route("dst_port not 1", "use_backend b2 if !{ dst_port 1 }", Get("/")),
        Route("url_reg", "use_backend b2 if { url_reg \\?.*id=[0-9]+ }", Get("/a?id=12"), Get("/a?id=x")),
        Route("option forwardfor except loopback", "option forwardfor except 127.0.0.0/8", Get("/")),
        Route("deny_status 429 with body", "http-request deny deny_status 429 content-type text/plain string busy if { path_beg /busy }",
            Get("/busy"), Get("/free")),
        Route("use_backend from a fetch", "use_backend %[hdr(x-backend)] if { hdr(x-backend) -m found }",
            Get("/", "X-Backend: b3"), Get("/", "X-Backend: b2"), Get("/")),
    ];

    private static CompatScenario Route(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", RoutingScenarios.ThreeBackends, requests);
}
