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
        Balance("all servers disabled", Backend("b1", "s1 s2", "disabled"), 2) with { Comparison = Comparison.StatusOnly },
    ];

    private static CompatScenario Balance(string name, string backends, int requests) =>
        new(name, "default_backend b1", backends, [.. Enumerable.Range(1, requests).Select(i => ProbeRequest.Get($"/r{i}"))]);
}
