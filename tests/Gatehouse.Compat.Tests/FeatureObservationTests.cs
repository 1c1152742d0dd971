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
        var (haproxy, gatehouse) = await RunBothAsync("compression gzip by accept-encoding");

        Assert.Equal("gzip", Header(haproxy.Exchanges[0].Response, "content-encoding"));
        Assert.Equal("gzip", Header(gatehouse.Exchanges[0].Response, "content-encoding"));
        Assert.Null(Header(gatehouse.Exchanges[1].Response, "content-encoding"));
    }

    [Fact]
    public async Task CookieInsert_BothImplementations_SetCookie()
    {
        var (haproxy, gatehouse) = await RunBothAsync("cookie insert new clients");

        Assert.Equal("SRV=c1; path=/", Header(haproxy.Exchanges[0].Response, "set-cookie"));
        Assert.Equal("SRV=c1; path=/", Header(gatehouse.Exchanges[0].Response, "set-cookie"));
    }

    [Fact]
    public async Task AfterResponse_OnDeny_BothImplementationsAddHeader()
    {
        var (haproxy, gatehouse) = await RunBothAsync("after-response on deny");

        Assert.Equal("yes", Header(haproxy.Exchanges[0].Response, "x-after"));
        Assert.Equal("yes", Header(gatehouse.Exchanges[0].Response, "x-after"));
        Assert.Null(Header(gatehouse.Exchanges[0].Response, "x-response-rule"));
    }

    [Fact]
    public async Task StatsCsv_HeaderAndServerRow_MatchHaproxy()
    {
        var (haproxy, gatehouse) = await RunBothAsync("stats pages served");
        var expected = haproxy.Exchanges[1].Response.Body.Split('\n');
        var actual = gatehouse.Exchanges[1].Response.Body.Split('\n');

        Assert.Equal(expected[0], actual[0]);
        Assert.Equal(Columns(expected, "b1,s1,"), Columns(actual, "b1,s1,"));
        Assert.Equal(Columns(expected, "b1,BACKEND,"), Columns(actual, "b1,BACKEND,"));
    }

    private async Task<(Observation Haproxy, Observation Gatehouse)> RunBothAsync(string scenarioName)
    {
        var scenario = ScenarioCatalog.All[scenarioName];
        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);
        return (haproxy, gatehouse);
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
