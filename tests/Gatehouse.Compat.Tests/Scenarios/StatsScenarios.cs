using Gatehouse.Compat.Tests.Harness;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;
using static Gatehouse.Compat.Tests.Scenarios.CompatScenario;

namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>`stats` pages: authentication and which requests the page takes over.</summary>
internal static class StatsScenarios
{
    public const string AdminAuthorization = "Authorization: Basic YWRtaW46cHc=";

    private const string Lines = "stats enable\nstats uri /st\nstats auth admin:pw\nstats refresh 5s";

    public static IEnumerable<CompatScenario> All() =>
    [
        new CompatScenario("stats auth challenge", Lines + "\ndefault_backend b1", Backend("b1", "s1"),
            [Get("/st"), Get("/st;csv", "Authorization: Basic YWRtaW46bm8="), Get("/other")])
        {
            BodyShapeOnly = true,
            ExtraResponseHeaders = ["www-authenticate", "cache-control"],
        },
        new CompatScenario("stats pages served", Lines + "\ndefault_backend b1", Backend("b1", "s1"),
            [Get("/st", AdminAuthorization), Get("/st;csv", AdminAuthorization), Get("/stx", AdminAuthorization), Get("/s")])
        {
            Comparison = Comparison.StatusOnly,
        },
    ];
}
