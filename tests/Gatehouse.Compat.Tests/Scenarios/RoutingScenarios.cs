using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Backend switching: use_backend with fetches, match methods, converters and condition operators.</summary>
internal static class RoutingScenarios
{
    /// <summary>b1 (s1) is the default backend; b2 (s2) and b3 (s3) are selected by rules.</summary>
    public static readonly string ThreeBackends = Backend("b1", "s1") + Backend("b2", "s2") + Backend("b3", "s3");

    public static IEnumerable<CompatScenario> All() =>
    [
        Route("default_backend", "", Get("/anything"), Get("/")),
        Route("path_beg", "use_backend b2 if { path_beg /api }", Get("/api/x"), Get("/apix"), Get("/other/api")),
        Route("path_end", "use_backend b2 if { path_end .jpg }", Get("/a/b.jpg"), Get("/a.jpgx"), Get("/a.jpg?x=1")),
        Route("path_reg", "use_backend b2 if { path_reg ^/v[0-9]+/ }", Get("/v1/x"), Get("/v12/"), Get("/vx/")),
        Route("hdr named acl", "acl is_beta hdr(x-tier) beta\nuse_backend b2 if is_beta",
            Get("/", "X-Tier: beta"), Get("/", "X-Tier: BETA"), Get("/")),
        Route("method", "use_backend b2 if { method POST }",
            new ProbeRequest("POST", "/m", "Content-Length: 0"), Get("/m"), new ProbeRequest("DELETE", "/m")),
        Route("url_param", "use_backend b2 if { url_param(user) alice }",
            Get("/p?user=alice"), Get("/p?user=bob"), Get("/p?x=1&user=alice"), Get("/p")),
        Route("query", "use_backend b2 if { query a=1 }", Get("/q?a=1"), Get("/q?a=1&b=2"), Get("/q")),
        Route("first matching use_backend wins", "use_backend b2 if { path_beg /a }\nuse_backend b3 if { path_beg /ab }",
            Get("/abc"), Get("/a"), Get("/x")),
        Route("named acl negated", "acl public path_beg /public\nuse_backend b2 if !public", Get("/public/x"), Get("/private")),
        Route("anonymous acls or", "use_backend b2 if { path_beg /a } || { path_beg /b }", Get("/a1"), Get("/b1"), Get("/c1")),
        Route("anonymous acls and", "use_backend b2 if { path_beg /a } { method POST }",
            new ProbeRequest("POST", "/a", "Content-Length: 0"), Get("/a"), new ProbeRequest("POST", "/b", "Content-Length: 0")),
        Route("unless", "use_backend b2 unless { path_beg /keep }", Get("/keep/1"), Get("/move/1")),
        Route("ignore case -i", "use_backend b2 if { hdr(x-tier) -i beta }",
            Get("/", "X-Tier: BETA"), Get("/", "X-Tier: Beta"), Get("/", "X-Tier: gamma")),
        Route("match -m sub", "use_backend b2 if { path -m sub admin }", Get("/x/admin/y"), Get("/x/adm/y")),
        Route("match -m beg", "use_backend b2 if { hdr(user-agent) -m beg curl/ }",
            Get("/", "User-Agent: curl/8.0"), Get("/", "User-Agent: wget curl/")),
        Route("match -m end", "use_backend b2 if { hdr(x-name) -m end .internal }",
            Get("/", "X-Name: db.internal"), Get("/", "X-Name: db.internal.example")),
        Route("match -m reg", "use_backend b2 if { hdr(x-id) -m reg ^[0-9]{3}$ }",
            Get("/", "X-Id: 123"), Get("/", "X-Id: 1234"), Get("/", "X-Id: abc")),
        Route("match -m found", "use_backend b2 if { hdr(x-debug) -m found }",
            Get("/", "X-Debug: 1"), Get("/", "X-Debug:"), Get("/")),
        Route("hdr_cnt", "use_backend b2 if { hdr_cnt(x-multi) gt 1 }",
            Get("/", "X-Multi: a", "X-Multi: b"), Get("/", "X-Multi: a, b"), Get("/", "X-Multi: a"), Get("/")),
        Route("hdr matches each comma-separated value", "use_backend b2 if { hdr(x-tier) beta }",
            Get("/", "X-Tier: alpha, beta"), Get("/", "X-Tier: alpha,gamma")),
        Route("predefined acl METH_POST", "use_backend b2 if METH_POST",
            new ProbeRequest("POST", "/", "Content-Length: 0"), Get("/")),
        Route("url_param keeps encoding", "use_backend b2 if { url_param(q) a%20b }", Get("/s?q=a%20b"), Get("/s?q=a+b")),
        Route("req.cook", "use_backend b2 if { req.cook(session) abc }",
            Get("/", "Cookie: other=1; session=abc"), Get("/", "Cookie: session=abcd"), Get("/")),
        Route("lower converter", "use_backend b2 if { hdr(x-tier),lower beta }",
            Get("/", "X-Tier: BeTa"), Get("/", "X-Tier: alpha")),
        Route("upper converter", "use_backend b2 if { hdr(x-tier),upper BETA }",
            Get("/", "X-Tier: beta"), Get("/", "X-Tier: alpha")),
        Route("base fetch", "use_backend b2 if { base compat.test/basepath }",
            Get("/basepath"), Get("/basepath?x=1"), Get("/basepath/more")),
        Route("encoded slash preserved", "", Get("/a%2Fb/c%20d"), Get("/%2F%2f")),
        Route("dot segments preserved", "", Get("/a/../b/./c")),
        Route("query string preserved", "", Get("/search?q=a+b&x=%20&y"), Get("/s?&&a==1")),
        Route("origin status passes through", "", Get("/missing", "X-Script-Status: 404"), Get("/err", "X-Script-Status: 500")),
    ];

    private static CompatScenario Route(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", ThreeBackends, requests);
}
