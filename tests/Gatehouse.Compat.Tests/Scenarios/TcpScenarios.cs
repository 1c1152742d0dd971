using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>
/// `mode tcp` frontends and backends: the HTTP requests of the harness pass as plain bytes, so the servers must
/// receive them unchanged and the balance algorithm decides which server gets each connection.
/// </summary>
internal static class TcpScenarios
{
    public static IEnumerable<CompatScenario> All() =>
    [
        Tcp("tcp roundrobin", "balance roundrobin", "s1 s2 s3", Get("/a"), Get("/b", "X-Custom: 1"), Get("/c"), Get("/d")),
        Tcp("tcp static-rr weights", "balance static-rr", "s1 s2", Get("/1"), Get("/2"), Get("/3")),
        Tcp("tcp first", "balance first", "s1 s2", Get("/1"), Get("/2")),
        Tcp("tcp source sticks", "balance source", "s1 s2 s3", Get("/1"), Get("/2"), Get("/3")) with { Comparison = Comparison.Stickiness },
        Tcp("tcp disabled server skipped", "balance roundrobin", "s1 s2", Get("/1"), Get("/2"), Get("/3")) with
        {
            Backends = "backend b1\n    mode tcp\n    server s1 \"${S1}\" disabled\n    server s2 \"${S2}\"\n",
        },
        Tcp("tcp redispatch after refused", "balance first", "s1", Get("/1")) with
        {
            Backends = "backend b1\n    mode tcp\n    balance first\n    retries 2\n    option redispatch\n"
                + "    server s0 \"${REFUSED}\"\n    server s1 \"${S1}\"\n",
        },
    ];

    private static CompatScenario Tcp(string name, string balance, string servers, params ProbeRequest[] requests)
    {
        var backend = $"backend b1\n    mode tcp\n    {balance}\n";
        foreach (var server in servers.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            backend += $"    server {server} \"${{{server.ToUpperInvariant()}}}\"" + (server == "s1" && name.Contains("weights", StringComparison.Ordinal) ? " weight 2" : "") + "\n";
        }

        return new(name, "mode tcp\ndefault_backend b1", backend, requests);
    }
}
