using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Passive health: traffic errors take a server out of rotation in both implementations.</summary>
internal static class HealthScenarios
{
    public static IEnumerable<CompatScenario> All() =>
    [
        // The checks are TCP connects, which the origins do not record as requests, and run 60 s apart, so within
        // the scenario only traffic changes state. s1 gets requests 1 and 3, both 500, reaches error-limit 2 and
        // goes DOWN; s2 then serves the rest.
        new("observe layer7 mark-down", "default_backend b1", """
            backend b1
                balance roundrobin
                server s1 "${S1}" check inter 60s observe layer7 error-limit 2 on-error mark-down
                server s2 "${S2}" check inter 60s
            """,
            [
                ProbeRequest.Get("/e1", "x-script-status: 500"),
                ProbeRequest.Get("/e2", "x-script-status: 500"),
                ProbeRequest.Get("/e3", "x-script-status: 500"),
                ProbeRequest.Get("/after1"),
                ProbeRequest.Get("/after2"),
                ProbeRequest.Get("/after3"),
            ]),
    ];
}
