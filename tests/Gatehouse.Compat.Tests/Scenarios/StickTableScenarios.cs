using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>
/// Stick tables: request-rate limiting with track-sc0, general purpose counters and `stick` persistence.
/// Each proxy starts with empty tables, and a burst of requests finishes well inside the 10 s rate period.
/// </summary>
internal static class StickTableScenarios
{
    private const string RateTable = "stick-table type ip size 1k expire 10s store http_req_rate(10s),gpc0";

    public static IEnumerable<CompatScenario> All() =>
    [
        new("stick table rate limit",
            """
            http-request track-sc0 src table b1
            http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
            default_backend b1
            """,
            CompatScenario.Backend("b1", "s1", lines: RateTable),
            [Get("/1"), Get("/2"), Get("/3"), Get("/4"), Get("/5"), Get("/6")])
        {
            BodyShapeOnly = true,
        },
        new("stick table gpc0 counts and denies",
            """
            http-request track-sc0 src table b1
            http-request deny deny_status 403 if { sc0_get_gpc0 ge 2 }
            http-request sc-inc-gpc0(0) if { path /hit }
            http-request return status 200 content-type text/plain lf-string "gpc0=%[sc_get_gpc0(0)]" if { path /show }
            default_backend b1
            """,
            CompatScenario.Backend("b1", "s1", lines: RateTable),
            [Get("/show"), Get("/hit"), Get("/show"), Get("/hit"), Get("/show"), Get("/other")])
        {
            BodyShapeOnly = true,
        },
        new("stick table src fetch in backend",
            """
            http-request track-sc1 src table b1
            default_backend b1
            """,
            CompatScenario.Backend("b1", "s1", lines: RateTable + "\nhttp-request return status 200 content-type text/plain lf-string \"rate=%[src_http_req_rate(b1)]\""),
            [Get("/"), Get("/"), Get("/")]),
        new("stick on src",
            "default_backend b1",
            CompatScenario.Backend("b1", "s1 s2 s3", lines: "balance roundrobin\nstick-table type ip size 1k expire 1m\nstick on src"),
            [Get("/a"), Get("/b"), Get("/c"), Get("/d")]),
        new("stick on header",
            "default_backend b1",
            CompatScenario.Backend("b1", "s1 s2 s3", lines: "balance roundrobin\nstick-table type string len 16 size 1k expire 1m\nstick on req.hdr(x-user)"),
            [Get("/", "X-User: alice"), Get("/", "X-User: bob"), Get("/", "X-User: alice"), Get("/", "X-User: carol"), Get("/", "X-User: bob"),
                Get("/", "X-User: alice")]),
        new("stick match and store-request",
            "default_backend b1",
            CompatScenario.Backend("b1", "s1 s2", lines: "balance roundrobin\nstick-table type string len 16 size 1k expire 1m\n"
                + "stick match req.hdr(x-user)\nstick store-request req.hdr(x-user) if { path /login }"),
            [Get("/", "X-User: alice"), Get("/login", "X-User: alice"), Get("/", "X-User: alice"), Get("/", "X-User: alice")]),
        new("stick store-response cookie",
            "default_backend b1",
            CompatScenario.Backend("b1", "s1 s2 s3", lines: "balance roundrobin\nstick-table type string len 32 size 1k expire 1m\n"
                + "stick match req.cook(SID)\nstick store-response res.cook(SID)"),
            [Get("/login", "x-script-header: Set-Cookie: SID=abc; Path=/"), Get("/", "Cookie: SID=abc"), Get("/"), Get("/", "Cookie: x=1; SID=abc"),
                Get("/", "Cookie: SID=other"), Get("/login", "x-script-header: Set-Cookie: SID=def"), Get("/", "Cookie: SID=def"),
                Get("/", "Cookie: SID=abc")]),
        new("stick store-response header",
            "default_backend b1",
            CompatScenario.Backend("b1", "s1 s2", lines: "balance roundrobin\nstick-table type string len 32 size 1k expire 1m\n"
                + "stick match req.hdr(x-session)\nstick store-response res.hdr(x-session) if { status 200 }"),
            [Get("/", "x-script-header: X-Session: s-1"), Get("/", "X-Session: s-1"), Get("/", "X-Session: s-1"),
                Get("/", "x-script-status: 404", "x-script-header: X-Session: s-2"), Get("/", "X-Session: s-2"), Get("/", "X-Session: s-2")]),
    ];
}
