using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>A `cache` section with cache-use and cache-store: which responses are stored and served again.</summary>
internal static class CacheScenarios
{
    private const string Rules = "http-request cache-use small\nhttp-response cache-store small";

    private static readonly string Backends = Backend("b1", "s1 s2") + "\ncache small\n    total-max-size 4\n    max-age 60\n";

    public static IEnumerable<CompatScenario> All() =>
    [
        Cached("cache stores max-age response", Twice("/a", "x-script-header: Cache-Control: max-age=30")),
        Cached("cache stores etag response", Twice("/e", "x-script-header: ETag: \"v1\"")),
        Cached("cache skips response without lifetime", Twice("/plain")),
        Cached("cache skips no-store and private",
            [.. Twice("/ns", "x-script-header: Cache-Control: no-store, max-age=30"),
             .. Twice("/pv", "x-script-header: Cache-Control: private, max-age=30")]),
        Cached("cache set-cookie response", Twice("/sc", "x-script-header: Cache-Control: max-age=30", "x-script-header-2: Set-Cookie: a=1")) with
        {
            Reason = "HAProxy 2.6 stores a response with Set-Cookie and replays the cookie to other clients; Gatehouse never stores one",
            ExpectedDifference = "server sequence",
        },
        Cached("cache skips vary", Twice("/va", "x-script-header: Cache-Control: max-age=30", "x-script-header-2: Vary: X-Any")),
        Cached("cache skips authorization and 404",
            [.. Twice("/au", "x-script-header: Cache-Control: max-age=30", "Authorization: Basic eDp5"),
             .. Twice("/nf", "x-script-header: Cache-Control: max-age=30", "x-script-status: 404")]),
        Cached("cache bypassed by request no-cache",
            [Get("/b", "x-script-header: Cache-Control: max-age=30"), Get("/b", "Cache-Control: no-cache"), Get("/b")]),
        Cached("cache key includes query", [.. Twice("/q?x=1", "x-script-header: Cache-Control: max-age=30"), Get("/q?x=2")]),
        Cached("cache conditional store", Twice("/skip/a", "x-script-header: Cache-Control: max-age=30"))
            with { Frontend = "http-request cache-use small\nhttp-response cache-store small if { status 201 }\ndefault_backend b1" },
    ];

    private static ProbeRequest[] Twice(string target, params string[] headers) => [Get(target, headers), Get(target, headers)];

    private static CompatScenario Cached(string name, ProbeRequest[] requests) =>
        new(name, Rules + "\ndefault_backend b1", Backends, requests);
}
