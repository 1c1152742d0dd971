using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;
using Xunit.Abstractions;

namespace Gatehouse.Compat.Tests;

public sealed class DifferentialTests : IClassFixture<OriginServers>
{
    private readonly OriginServers _origins;
    private readonly ITestOutputHelper _output;

    public DifferentialTests(OriginServers origins, ITestOutputHelper output)
    {
        _origins = origins;
        _output = output;
    }

    public static TheoryData<string> Agreeing => ScenarioCatalog.Agreeing();

    public static TheoryData<string> Differing => ScenarioCatalog.Differing();

    [Theory]
    [MemberData(nameof(Agreeing))]
    public async Task Scenario_SameAsHaproxy(string name)
    {
        var differences = await DifferentialRunner.CompareAsync(ScenarioCatalog.All[name], _origins);

        Assert.True(differences.Count == 0, $"Gatehouse differs from HAProxy in '{name}':\n" + string.Join("\n", differences));
    }

    [Theory]
    [MemberData(nameof(Differing))]
    public async Task KnownDifference_StillDiffers(string name)
    {
        var scenario = ScenarioCatalog.All[name];

        var differences = await DifferentialRunner.CompareAsync(scenario, _origins);
        _output.WriteLine(string.Join("\n", differences));

        Assert.True(differences.Count > 0, $"'{name}' now agrees with HAProxy; move it out of KnownDifferences ({scenario.Reason})");
        Assert.True(
            differences.Any(difference => difference.Contains(scenario.ExpectedDifference!, StringComparison.Ordinal)),
            $"expected a difference containing '{scenario.ExpectedDifference}', found:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task Runner_BothImplementations_ReachOrigin()
    {
        var scenario = ScenarioCatalog.All["default_backend"];

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);

        Assert.Equal("s1", Assert.Single(haproxy.Exchanges[0].Received).Server);
        Assert.Equal("s1", Assert.Single(gatehouse.Exchanges[0].Received).Server);
        Assert.Equal("s1 GET /anything", haproxy.Exchanges[0].Response.Body);
    }

    [Fact]
    public async Task Comparer_DifferentStatus_ReportsDifference()
    {
        var scenario = ScenarioCatalog.All["origin status passes through"];
        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var changed = haproxy.Exchanges[0] with { Response = haproxy.Exchanges[0].Response with { Status = 200 } };
        var gatehouse = haproxy with { Implementation = "gatehouse", Exchanges = [changed, haproxy.Exchanges[1]] };

        var differences = ObservationComparer.Compare(scenario, haproxy, gatehouse);

        Assert.Contains("status: haproxy=<404> gatehouse=<200>", Assert.Single(differences), StringComparison.Ordinal);
    }
}
