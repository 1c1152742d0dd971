using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Built-in error pages, rewrites, redirects and log-format variables.</summary>
internal static class RewriteScenarios
{
    private static readonly string OneBackend = Backend("b1", "s1");

    private static readonly int[] PageStatuses = [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504];

    public static IEnumerable<CompatScenario> All() =>
    [
        ErrorPage("deny without options", "http-request deny if { path_beg /x }", Get("/x"), Get("/y")),
        ErrorPage("deny_status 429 without body", "http-request deny deny_status 429", Get("/")),
        ErrorPage("every built-in error page", string.Join("\n", PageStatuses.Select(status => $"http-request deny deny_status {status} if {{ path /{status} }}")),
            [.. PageStatuses.Select(status => Get($"/{status}"))]),
        ErrorPage("no server: every server disabled", "", Get("/a"), Get("/b")) with { Backends = Backend("b1", "s1 s2", "disabled") },
        ErrorPage("no backend matched", "use_backend b1 if { path_beg /in }", Get("/out")) with
        {
            Frontend = "use_backend b1 if { path_beg /in }",
        },
        Rule("deny with hdr and no body", "http-request deny hdr X-Reason blocked if { path_beg /x }", Get("/x")),
        Rule("replace-header", "http-request replace-header User-Agent ^curl/(.*) curl-\\1",
            Get("/", "User-Agent: curl/8.0"), Get("/", "User-Agent: wget/1.0")),
        Rule("replace-header replaces the whole value", "http-request replace-header X-Multi a(.) z\\1",
            Get("/", "X-Multi: ab, ac"), Get("/", "X-Multi: xay")),
        Rule("replace-path", "http-request replace-path /old/(.*) /new/\\1", Get("/old/a?b=1"), Get("/keep")),
        Rule("replace-path replaces the whole path", "http-request replace-path x(.) /Y\\1", Get("/pxab/cxd")),
        Rule("set-query", "http-request set-query x=1", Get("/a?b=2"), Get("/a")),
        Rule("set-query from fetch", "http-request set-query \"p=%[path]&%[query]\"", Get("/a?b=2")),
        Rule("redirect keyword", "redirect prefix https://example.test code 302 if { path_beg /moved }", Get("/moved/x"), Get("/stay")),
        Rule("redirect keyword after http-request rules",
            "redirect location /elsewhere if { path_beg /m }\nhttp-request deny deny_status 404 if { path_beg /m/deny }",
            Get("/m/deny"), Get("/m/ok")) with { BodyShapeOnly = true },
        Rule("redirect scheme", "http-request redirect scheme https code 301", Get("/a?b=1")),
        Rule("redirect scheme drop-query", "http-request redirect scheme https drop-query", Get("/a?b=1")),
        Rule("return with hdr", "http-request return status 200 content-type text/plain string ok hdr X-Extra yes hdr X-Path %[path]",
            Get("/p")),
        Rule("set-header %ci and %fi", "http-request set-header X-Client \"%ci %fi\"", Get("/")),
        Rule("set-header %H", "http-request add-header X-Host %H", Get("/")),
        Rule("http-response add-header with a fetch", "http-response add-header X-Src %[src]", Get("/a/b")),
    ];

    private static CompatScenario Rule(string name, string frontend, params ProbeRequest[] requests) =>
        new(name, frontend + "\ndefault_backend b1", OneBackend, requests);

    private static CompatScenario ErrorPage(string name, string frontend, params ProbeRequest[] requests) =>
        Rule(name, frontend, requests) with { BodyShapeOnly = true, ExtraResponseHeaders = ["cache-control"] };
}
