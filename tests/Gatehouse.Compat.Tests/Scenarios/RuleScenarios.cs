using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>http-request and http-response actions, and option forwardfor.</summary>
internal static class RuleScenarios
{
    private static readonly string OneBackend = Backend("b1", "s1");

    public static IEnumerable<CompatScenario> All() =>
    [
        Rule("deny with status and body",
            "http-request deny deny_status 429 content-type text/plain string \"slow down\" if { path_beg /limited }",
            Get("/limited/1"), Get("/open")),
        Rule("return with status and body",
            "http-request return status 200 content-type text/plain string \"pong\" if { path /ping }",
            Get("/ping"), Get("/pingx")),
        Rule("return without content", "http-request return status 204", Get("/")),
        Rule("return 404 text/html",
            "http-request return status 404 content-type text/html string \"<p>gone</p>\" if { path_beg /gone }",
            Get("/gone/a")),
        Rule("redirect location 301", "http-request redirect location /new code 301 if { path /old }", Get("/old"), Get("/new")),
        Rule("redirect cache-control", "http-request redirect location /new code 301", Get("/old")) with
        {
            ExtraResponseHeaders = ["cache-control"],
        },
        Rule("redirect prefix 302", "http-request redirect prefix https://example.test code 302 if { path_beg /moved }",
            Get("/moved/x?y=1"), Get("/stay")),
        Rule("redirect prefix drop-query 308", "http-request redirect prefix https://example.test code 308 drop-query",
            Get("/p?q=1")),
        Rule("set-header replaces", "http-request set-header X-Tier gold", Get("/", "X-Tier: silver", "X-Tier: bronze"), Get("/")),
        Rule("add-header appends", "http-request add-header X-Trace one", Get("/", "X-Trace: zero"), Get("/")),
        Rule("del-header removes", "http-request del-header X-Secret", Get("/", "X-Secret: s3cret", "X-Keep: 1")),
        Rule("set-header from fetches", "http-request set-header X-Info \"%[path] %[hdr(x-tier),upper]\"",
            Get("/a/b?c=d", "X-Tier: gold")),
        Rule("set-header from src", "http-request set-header X-Client %[src]", Get("/")),
        Rule("set-path keeps query", "http-request set-path /rewritten%[path]", Get("/orig?x=1"), Get("/p")),
        Rule("rules in backend section", "", Get("/"),
            backends: Backend("b1", "s1", lines: "http-request set-header X-Backend b1")),
        Rule("option forwardfor", "option forwardfor", Get("/"), Get("/", "X-Forwarded-For: 10.0.0.1")),
        Rule("option forwardfor header X-Client-IP", "option forwardfor header X-Client-IP", Get("/")),
        Rule("http-response set-header and del-header",
            "http-response set-header X-Frame-Options DENY\nhttp-response del-header X-Powered-By", Get("/")),
        Rule("http-response add-header", "http-response add-header X-Extra one", Get("/")),
    ];

    private static CompatScenario Rule(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", OneBackend, requests);

    private static CompatScenario Rule(string name, string frontend, ProbeRequest request, string backends) =>
        new(name, frontend + "\ndefault_backend b1", backends, [request]);
}
