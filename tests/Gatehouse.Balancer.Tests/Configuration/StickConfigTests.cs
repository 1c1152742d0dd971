using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class StickConfigTests
{
    private static BalancerConfig Parse(string text) => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>());

    private static IReadOnlyList<string> Errors(string text) => Assert.Throws<ConfigException>(() => Parse(text)).Errors;

    private const string Frontend = "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\n";

    [Fact]
    public void StickTable_InBackend_StoredWithSectionName()
    {
        var config = Parse(Frontend + "backend be\n    stick-table type ip size 1k expire 10s store http_req_rate(10s),gpc0\n    server s1 127.0.0.1:9000\n");

        var table = Assert.Single(config.StickTables);
        Assert.Equal("be", table.Name);
        Assert.Same(table, config.Backends[0].StickTable);
        Assert.Equal(1024, table.Size);
    }

    [Fact]
    public void StickTable_TwiceInSection_ReportsFileLine()
    {
        var errors = Errors(Frontend + "backend be\n    stick-table type ip size 1k\n    stick-table type ip size 2k\n    server s1 127.0.0.1:9000\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:6: 'stick-table'", StringComparison.Ordinal) && error.Contains("t.cfg:5", StringComparison.Ordinal));
    }

    [Fact]
    public void StickTable_InvalidType_ReportsFileLine()
    {
        var errors = Errors(Frontend + "backend be\n    stick-table type ipv5 size 1k\n    server s1 127.0.0.1:9000\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'stick-table type'", StringComparison.Ordinal));
    }

    [Fact]
    public void TrackRule_UnknownTable_ReportsFileLine()
    {
        var errors = Errors("frontend fe\n    bind 127.0.0.1:0\n    http-request track-sc0 src table nope\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:3: stick table 'nope' is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Fetch_UnknownTableInAcl_ReportsFileLine()
    {
        var errors = Errors("frontend fe\n    bind 127.0.0.1:0\n    acl busy sc_http_req_rate(0,nope) gt 3\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:3: stick table 'nope' is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void TrackRule_DeclaredTable_Accepted()
    {
        var config = Parse("frontend fe\n    bind 127.0.0.1:0\n    http-request track-sc0 src table be\n"
            + "    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }\n    http-request sc-inc-gpc0(0) if { src_get_gpc0(be) ge 0 }\n"
            + "    default_backend be\nbackend be\n    stick-table type ip size 1k store http_req_rate(10s),gpc0\n    server s1 127.0.0.1:9000\n");

        Assert.Equal(3, config.Frontends[0].RequestRules.Count);
    }

    [Fact]
    public void StatsSocket_InGlobal_Parsed()
    {
        var config = Parse("global\n    stats socket ipv4@127.0.0.1:0 level admin\n" + Frontend + "backend be\n    server s1 127.0.0.1:9000\n");

        Assert.NotNull(config.StatsSocket?.Endpoint);
        Assert.Equal("admin", config.StatsSocket!.Level);
    }

    [Fact]
    public void StatsSocket_Invalid_ReportsFileLine()
    {
        var errors = Errors("global\n    stats socket ipv4@nowhere\n" + Frontend + "backend be\n    server s1 127.0.0.1:9000\n");

        Assert.Contains(errors, error => error.StartsWith("t.cfg:2: 'stats socket'", StringComparison.Ordinal));
    }
}
