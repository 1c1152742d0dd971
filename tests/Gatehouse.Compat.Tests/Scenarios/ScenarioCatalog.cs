namespace Gatehouse.Compat.Tests.Scenarios;

/// <summary>Every scenario by name, split into those where Gatehouse agrees with HAProxy and known differences.</summary>
internal static class ScenarioCatalog
{
    public static readonly IReadOnlyDictionary<string, CompatScenario> All =
        RoutingScenarios.All()
            .Concat(RuleScenarios.All())
            .Concat(RewriteScenarios.All())
            .Concat(ConverterScenarios.All())
            .Concat(MatchScenarios.All())
            .Concat(BalancingScenarios.All())
            .Concat(HealthScenarios.All())
            .Concat(PersistenceScenarios.All())
            .Concat(ResponseScenarios.All())
            .Concat(CompressionScenarios.All())
            .Concat(CacheScenarios.All())
            .Concat(TcpScenarios.All())
            .Concat(StatsScenarios.All())
            .Concat(StickTableScenarios.All())
            .Concat(KnownDifferences.All())
            .ToDictionary(scenario => scenario.Name, StringComparer.Ordinal);

    public static TheoryData<string> Agreeing() => Names(scenario => scenario.Reason is null);

    public static TheoryData<string> Differing() => Names(scenario => scenario.Reason is not null);

    private static TheoryData<string> Names(Func<CompatScenario, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var scenario in All.Values.Where(predicate))
        {
            data.Add(scenario.Name);
        }

        return data;
    }
}
