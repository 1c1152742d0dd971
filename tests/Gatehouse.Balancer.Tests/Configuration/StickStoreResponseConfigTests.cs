using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class StickStoreResponseConfigTests
{
    private static string Backend(string lines) =>
        "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    stick-table type string len 32 size 1k\n"
        + $"    {lines}\n    server s1 127.0.0.1:9000\n";

    private static BalancerConfig Parse(string text) => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>());

    [Fact]
    public void StoreResponse_ResponseCookie_Parsed()
    {
        var config = Parse(Backend("stick store-response res.cook(SID) if { status 200 }"));

        var rule = Assert.Single(config.Backends[0].StickRules);
        Assert.Equal(StickPersistenceKind.StoreResponse, rule.Kind);
        Assert.True(rule.Stores);
        Assert.False(rule.Matches);
        Assert.Equal("res.cook", rule.Key.Definition.Name);
    }

    [Theory]
    [InlineData("stick match res.cook(SID)", "t.cfg:6: 'stick match' cannot read 'res.cook'")]
    [InlineData("stick on res.hdr(x-session)", "t.cfg:6: 'stick on' cannot read 'res.hdr'")]
    [InlineData("stick store-reponse res.cook(SID)", "t.cfg:6: 'stick' expects on, match, store-request or store-response, got 'store-reponse'")]
    public void StickLine_Invalid_ReportsFileLine(string line, string expected)
    {
        var errors = Assert.Throws<ConfigException>(() => Parse(Backend(line))).Errors;

        Assert.Contains(errors, error => error.StartsWith(expected, StringComparison.Ordinal));
    }
}
