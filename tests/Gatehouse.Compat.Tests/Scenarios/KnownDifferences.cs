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
    public static IEnumerable<CompatScenario> All() =>
    [
        Differs("repeated header lines", "", [Get("/", "X-Multi: a", "X-Multi: b")],
            "SocketsHttpHandler joins repeated request header lines into one 'a, b' line; HAProxy forwards each line",
            "x-multi: a, b>") with { ExactFieldLines = true },
        Differs("hash-type consistent exact server", "", [.. "abcdefgh".Select(c => Get($"/{c}"))],
            "consistent hashing places servers on the ring with Gatehouse's own point positions, not HAProxy's",
            "server sequence") with { Backends = Backend("b1", "s1 s2 s3", lines: "balance uri\nhash-type consistent") },
        Differs("refused server without retries", "", [Get("/")],
            "Gatehouse answers 502 when the server refuses the connection, so the status says the server failed; HAProxy answers 503",
            "status") with { Backends = "backend b1\n    retries 0\n    server s0 \"${REFUSED}\"\n", BodyShapeOnly = true },
        Differs("refused server after retries", "", [Get("/")],
            "as above, after the retries are used up",
            "status") with { Backends = "backend b1\n    retries 2\n    server s0 \"${REFUSED}\"\n", BodyShapeOnly = true },
        Differs("after-response condition on request sample", "http-after-response set-header X-After yes if { path_beg /two }",
            [Get("/two")],
            "HAProxy 2.6 no longer has the request's samples in http-after-response, so an ACL on them never matches; Gatehouse evaluates them",
            "response headers"),
    ];

    private static CompatScenario Differs(string name, string frontend, ProbeRequest[] requests, string reason, string expected) =>
        new(name, frontend + "\ndefault_backend b1", RoutingScenarios.ThreeBackends, requests) { Reason = reason, ExpectedDifference = expected };
}
