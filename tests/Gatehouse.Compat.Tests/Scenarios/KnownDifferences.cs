using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>
/// Scenarios where Gatehouse is known to differ from HAProxy 2.6. Each test asserts that the difference still
/// exists, so a fix makes it fail; then move the scenario to the agreeing lists.
/// </summary>
internal static class KnownDifferences
{
    private const string NotSupported = "is not supported yet";

    public static IEnumerable<CompatScenario> All() =>
    [
        Differs("deny without options", "http-request deny if { path_beg /x }", [Get("/x")],
            "HAProxy answers with its built-in HTML 403 page; Gatehouse sends an empty body without Content-Type",
            "body: haproxy=<<html>"),
        Differs("repeated header lines", "", [Get("/", "X-Multi: a", "X-Multi: b")],
            "SocketsHttpHandler joins repeated request header lines into one 'a, b' line; HAProxy forwards each line",
            "x-multi: a, b>") with { ExactFieldLines = true },
        Differs("replace-header", "http-request replace-header User-Agent ^curl/(.*) curl-\\1", [Get("/", "User-Agent: curl/8.0")],
            "http-request replace-header is rejected as not supported", NotSupported),
        Differs("replace-path", "http-request replace-path /old/(.*) /new/\\1", [Get("/old/a?b=1")],
            "http-request replace-path is rejected as not supported", NotSupported),
        Differs("set-query", "http-request set-query x=1", [Get("/a?b=2")],
            "http-request set-query is rejected as not supported", NotSupported),
        Differs("redirect keyword", "redirect prefix https://example.test code 302 if { path_beg /moved }", [Get("/moved/x")],
            "the proxy-level 'redirect' keyword is rejected; only 'http-request redirect' is supported", NotSupported),
        Differs("redirect scheme", "http-request redirect scheme https code 301", [Get("/a?b=1")],
            "'http-request redirect scheme' is rejected; only location and prefix are supported", NotSupported),
        Differs("set-header %ci", "http-request set-header X-Client %ci", [Get("/")],
            "log-format variables such as %ci are rejected; only %[fetch] expressions are supported", NotSupported),
        Differs("path_dir", "use_backend b2 if { path_dir api }", [Get("/v1/api/x"), Get("/v1/apix")],
            "the path_dir fetch is unknown to Gatehouse", "unknown sample fetch 'path_dir'"),
        Differs("return with hdr", "http-request return status 200 content-type text/plain string ok hdr X-Extra yes", [Get("/")],
            "the 'hdr' option of http-request return is rejected as not supported", NotSupported),
        Differs("balance uri", "", [Get("/")],
            "balance uri is rejected as not supported", NotSupported) with { Backends = Backend("b1", "s1 s2", lines: "balance uri") },
        Differs("roundrobin weights 1-2-3 order", "", Twelve(),
            "same share per server, different interleaving: HAProxy's weighted round robin orders servers differently",
            "server sequence") with { Backends = BalancingScenarios.Weighted("roundrobin") },
        Differs("static-rr weights 1-2-3 order", "", Twelve(),
            "same share per server, different interleaving: HAProxy's static-rr orders servers differently",
            "server sequence") with { Backends = BalancingScenarios.Weighted("static-rr") },
    ];

    private static ProbeRequest[] Twelve() => [.. Enumerable.Range(1, 12).Select(i => Get($"/r{i}"))];

    private static CompatScenario Differs(string name, string frontend, ProbeRequest[] requests, string reason, string expected) =>
        new(name, frontend + "\ndefault_backend b1", RoutingScenarios.ThreeBackends, requests) { Reason = reason, ExpectedDifference = expected };
}
