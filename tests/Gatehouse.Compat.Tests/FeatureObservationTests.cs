using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// Checks that scenarios exercise what they claim: both implementations really compress, set persistence
/// cookies and run http-after-response rules, so an agreement is not an agreement on doing nothing.
/// </summary>
public sealed class FeatureObservationTests : IClassFixture<OriginServers>
{
    private readonly OriginServers _origins;

    public FeatureObservationTests(OriginServers origins)
    {
        _origins = origins;
    }

    [Fact]
    public async Task Compression_BothImplementations_SendGzip()
    {
        var scenario = ScenarioCatalog.All["compression gzip by accept-encoding"];

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);

        Assert.Equal("gzip", Header(haproxy.Exchanges[0].Response, "content-encoding"));
        Assert.Equal("gzip", Header(gatehouse.Exchanges[0].Response, "content-encoding"));
        Assert.Null(Header(gatehouse.Exchanges[1].Response, "content-encoding"));
    }

    [Fact]
    public async Task CookieInsert_BothImplementations_SetCookie()
    {
        var scenario = ScenarioCatalog.All["cookie insert new clients"];

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);

        Assert.Equal("SRV=c1; path=/", Header(haproxy.Exchanges[0].Response, "set-cookie"));
        Assert.Equal("SRV=c1; path=/", Header(gatehouse.Exchanges[0].Response, "set-cookie"));
    }

    [Fact]
    public async Task AfterResponse_OnDeny_BothImplementationsAddHeader()
    {
        var scenario = ScenarioCatalog.All["after-response on deny"];

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);

        Assert.Equal("yes", Header(haproxy.Exchanges[0].Response, "x-after"));
        Assert.Equal("yes", Header(gatehouse.Exchanges[0].Response, "x-after"));
        Assert.Null(Header(gatehouse.Exchanges[0].Response, "x-response-rule"));
    }

    [Fact]
    public async Task StatsCsv_HeaderAndServerRow_MatchHaproxy()
    {
        var scenario = ScenarioCatalog.All["stats pages served"];

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);
        var expected = haproxy.Exchanges[1].Response.Body.Split('\n');
        var actual = gatehouse.Exchanges[1].Response.Body.Split('\n');

        Assert.Equal(expected[0], actual[0]);
        Assert.Equal(Columns(expected, "b1,s1,"), Columns(actual, "b1,s1,"));
        Assert.Equal(Columns(expected, "b1,BACKEND,"), Columns(actual, "b1,BACKEND,"));
    }

    /// <summary>The columns both implementations fill the same way: name, status, weight, act, bck and type.</summary>
    private static string Columns(string[] lines, string prefix)
    {
        var header = lines[0][2..].Split(',');
        var row = lines.Single(line => line.StartsWith(prefix, StringComparison.Ordinal)).Split(',');
        return string.Join(",", new[] { "pxname", "svname", "status", "weight", "act", "bck", "type" }
            .Select(column => $"{column}={row[Array.IndexOf(header, column)]}"));
    }

    private static string? Header(ProbeResponse response, string name) =>
        response.Headers.FirstOrDefault(header => header.Key == name).Value;
}
