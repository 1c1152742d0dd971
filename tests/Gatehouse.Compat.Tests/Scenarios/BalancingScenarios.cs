using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Server selection: algorithms, weights, disabled and backup servers.</summary>
internal static class BalancingScenarios
{
    /// <summary>Backend b1 with servers s1, s2 and s3 at weights 1, 2 and 3.</summary>
    public static string Weighted(string algorithm) => $$"""
        backend b1
            balance {{algorithm}}
            server s1 "${S1}" weight 1
            server s2 "${S2}" weight 2
            server s3 "${S3}" weight 3
        """;

    public static IEnumerable<CompatScenario> All() =>
    [
        // Counts, not order: HAProxy documents the share of requests per weight, not how they interleave.
        Balance("roundrobin weights 1-2-3 counts", Weighted("roundrobin"), 12) with { Comparison = Comparison.ServerCounts },
        Balance("static-rr weights 1-2-3 counts", Weighted("static-rr"), 12) with { Comparison = Comparison.ServerCounts },
        Balance("roundrobin equal weights order", Backend("b1", "s1 s2 s3", lines: "balance roundrobin"), 6),
        Balance("first", Backend("b1", "s1 s2 s3", lines: "balance first"), 4),
        Balance("disabled server skipped", """
            backend b1
                balance roundrobin
                server s1 "${S1}" disabled
                server s2 "${S2}"
                server s3 "${S3}"
            """, 4) with { Comparison = Comparison.ServerCounts },
        Balance("backup unused while primary up", """
            backend b1
                server s1 "${S1}"
                server s2 "${S2}" backup
            """, 3),
        Balance("backup used when primaries disabled", """
            backend b1
                server s1 "${S1}" disabled
                server s2 "${S2}" backup
            """, 3),
        Balance("named defaults with from", """
            defaults tuned
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                balance static-rr
            backend b1 from tuned
                server s1 "${S1}" weight 1
                server s2 "${S2}" weight 2
            """, 6),
        Balance("listen section as a backend", """
            listen b1
                balance roundrobin
                server s1 "${S1}"
                server s2 "${S2}"
            """, 4),
        Balance("redispatch after a refused server", """
            backend b1
                balance first
                retries 1
                option redispatch
                server s0 "${REFUSED}"
                server s2 "${S2}"
            """, 1),
        Balance("all servers disabled", Backend("b1", "s1 s2", "disabled"), 2) with { Comparison = Comparison.StatusOnly },
        Balance("static-rr weights 1-2-3 order", Weighted("static-rr"), 12),
        Balance("roundrobin weights 1-2-3 order", Weighted("roundrobin"), 24),
        Balance("roundrobin weights 5-1-1 order", """
            backend b1
                server s1 "${S1}" weight 5
                server s2 "${S2}" weight 1
                server s3 "${S3}" weight 1
            """, 14),
        Balance("roundrobin weights 1-2 order", """
            backend b1
                server s1 "${S1}" weight 1
                server s2 "${S2}" weight 2
            """, 6),
        Balance("static-rr weights 2-4 order", """
            backend b1
                balance static-rr
                server s1 "${S1}" weight 2
                server s2 "${S2}" weight 4
                server s3 "${S3}" weight 6
            """, 12),
        Hash("balance uri", "balance uri", Paths("/a", "/b", "/c", "/d", "/a?x=1", "/e", "/f", "/b")),
        Hash("balance uri weighted", "balance uri", Paths("/w1", "/w2", "/w3", "/w4", "/w5", "/w6", "/w7", "/w8", "/w9"), weighted: true),
        Hash("balance uri whole", "balance uri whole", Paths("/a?x=1", "/a?x=2", "/a?x=3", "/a?x=1")),
        Hash("balance uri depth 1", "balance uri depth 1", Paths("/a/x", "/a/y", "/b/x", "/c/z", "/d/q")),
        Hash("balance uri len 2", "balance uri len 2", Paths("/abc", "/axy", "/bcd", "/cde")),
        Hash("balance uri djb2", "balance uri\nhash-type map-based djb2", Paths("/a", "/b", "/c", "/d", "/e")),
        Hash("balance url_param", "balance url_param user",
            Paths("/p?user=alice", "/p?user=bob", "/p?user=carol", "/q?user=alice", "/p?x=1&user=dave")),
        Hash("balance url_param missing goes round robin", "balance url_param user", Paths("/p", "/q", "/r", "/s")),
        Hash("balance hdr", "balance hdr(x-user)", [
            ProbeRequest.Get("/", "X-User: alice"), ProbeRequest.Get("/", "X-User: bob"), ProbeRequest.Get("/", "X-User: carol"),
            ProbeRequest.Get("/", "X-User: alice"), ProbeRequest.Get("/")]),
        Hash("hash-type consistent keeps each uri on one server", "balance uri\nhash-type consistent",
            Paths("/a", "/b", "/c", "/d", "/a", "/b", "/c", "/d", "/e", "/e")) with { Comparison = Comparison.Stickiness },
    ];

    private static ProbeRequest[] Paths(params string[] targets) => [.. targets.Select(target => ProbeRequest.Get(target))];

    private static CompatScenario Hash(string name, string lines, ProbeRequest[] requests, bool weighted = false) =>
        new(name, "default_backend b1", weighted ? Weighted("uri").Replace("balance uri", lines, StringComparison.Ordinal)
            : Backend("b1", "s1 s2 s3", lines: lines), requests);

    private static CompatScenario Balance(string name, string backends, int requests) =>
        new(name, "default_backend b1", backends, [.. Enumerable.Range(1, requests).Select(i => ProbeRequest.Get($"/r{i}"))]);
}
