using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Header captures and http-after-response rules, on forwarded and generated responses.</summary>
internal static class ResponseScenarios
{
    private static readonly string OneBackend = Backend("b1", "s1");

    public static IEnumerable<CompatScenario> All() =>
    [
        Scenario("capture request header fetch", """
            capture request header User-Agent len 5
            capture request header X-Missing len 10
            http-request set-header X-Cap "%[capture.req.hdr(0)]"
            http-response set-header X-Cap-Back "%[capture.req.hdr(0)]"
            """, Get("/", "User-Agent: verylongagent"), Get("/")),
        Scenario("capture log-format hr and hs", """
            capture request header Host len 32
            capture request header X-Tier len 2
            capture response header X-Served-By len 8
            http-after-response set-header X-Hr "%hr"
            http-after-response set-header X-Hs "%hs"
            """, Get("/", "X-Tier: gold"), Get("/")),
        Scenario("capture response header fetch", """
            capture response header X-Powered-By len 7
            http-after-response set-header X-Res "%[capture.res.hdr(0)]"
            """, Get("/")),
        Scenario("after-response on forwarded", """
            http-after-response set-header X-After yes
            http-after-response del-header X-Powered-By
            http-after-response add-header X-Two 2 if { status 201 }
            """, Get("/"), Get("/two", "x-script-status: 201")),
        Scenario("after-response on deny", """
            http-request deny if { path /blocked }
            http-response set-header X-Response-Rule yes
            http-after-response set-header X-After yes
            """, Get("/blocked"), Get("/open")) with { BodyShapeOnly = true },
        Scenario("after-response on return and redirect", """
            http-request return status 200 content-type text/plain string ok if { path /ret }
            http-request redirect location /elsewhere if { path /redir }
            http-after-response set-header X-After "%[status]"
            """, Get("/ret"), Get("/redir")),
        Scenario("after-response on no server", "http-after-response set-header X-After 503", Get("/"),
            "backend b1\n    server s0 \"${S1}\" disabled\n") with { BodyShapeOnly = true },
        Scenario("after-response set-status", """
            http-after-response set-status 203 if { status 200 }
            http-after-response set-status 404 reason Missing if { status 201 }
            http-request return status 201 content-type text/plain string ok if { path /ret }
            """, Get("/forwarded"), Get("/ret")),
        Scenario("after-response replace-header", """
            http-after-response replace-header X-Served-By (s[0-9]) origin-\1
            """, Get("/")),
        Scenario("after-response status condition", """
            http-after-response set-header X-Not-Found 1 if { status 404 }
            """, Get("/", "x-script-status: 404"), Get("/")),
        Scenario("after-response in backend", "", Get("/"),
            Backend("b1", "s1", lines: "http-after-response set-header X-Backend-After b1")),
    ];

    private static CompatScenario Scenario(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", OneBackend, requests);

    private static CompatScenario Scenario(string name, string frontend, ProbeRequest request, string backends) =>
        new(name, frontend + "\ndefault_backend b1", backends, [request]);
}
