using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Tests.StickTables;

public sealed class StickTableParserTests
{
    private static StickTableDefinition? Parse(string line, List<string> problems) =>
        StickTableParser.Parse("st", line.Split(' '), new ConfigLocation("haproxy.cfg", 7), problems);

    [Fact]
    public void Parse_FullLine_ReadsEveryOption()
    {
        var problems = new List<string>();
        var table = Parse("type string len 16 size 1m expire 30s nopurge store gpc0,http_req_rate(10s) store conn_cur", problems);

        Assert.Empty(problems);
        Assert.NotNull(table);
        Assert.Equal(StickKeyType.String, table.KeyType);
        Assert.Equal(16, table.KeyLength);
        Assert.Equal(1 << 20, table.Size);
        Assert.Equal(TimeSpan.FromSeconds(30), table.Expire);
        Assert.True(table.NoPurge);
        Assert.Equal(
            [new(StickDataType.Gpc0, 0), new(StickDataType.HttpReqRate, 10_000), new(StickDataType.ConnCur, 0)],
            table.Stored);
    }

    [Fact]
    public void Parse_SizeWithK_UsesBinaryMultiple()
    {
        var problems = new List<string>();
        var table = Parse("type ip size 100k", problems);

        Assert.Equal(102_400, table?.Size);
        Assert.Null(table?.Expire);
    }

    [Theory]
    [InlineData("type ip size 1k store http_req_rat(10s)", "'stick-table store': unknown data type 'http_req_rat'; did you mean 'http_req_rate'?")]
    [InlineData("type ip size 1k store http_req_rate", "'stick-table store': 'http_req_rate' expects a period, such as 'http_req_rate(10s)'")]
    [InlineData("type ip size 1k store gpc0(10s)", "'stick-table store': 'gpc0' takes no period, got 'gpc0(10s)'")]
    [InlineData("type ipv4 size 1k", "'stick-table type' expects ip, ipv6, integer, string or binary, got 'ipv4'; did you mean 'ipv6'?")]
    [InlineData("type ip", "'stick-table': missing 'size'; add a maximum number of entries, such as 'size 100k'")]
    [InlineData("size 10", "'stick-table': missing 'type'; add 'type ip', 'type ipv6', 'type integer', 'type string' or 'type binary'")]
    [InlineData("type ip len 4 size 10", "'stick-table': 'len' applies only to 'type string' and 'type binary'")]
    [InlineData("type ip size 10 expire soon", "'stick-table expire' expects " + TimeValue.Expected + ", got 'soon'")]
    [InlineData("type ip size 10 stor gpc0", "'stick-table': unknown argument 'stor'; expected type, len, size, expire, nopurge, peers or store; did you mean 'store'?")]
    [InlineData("type ip size 10 store gpc0,gpc0", "'stick-table store': data type 'gpc0' is stored twice")]
    public void Parse_InvalidLine_ReportsProblem(string line, string expected)
    {
        var problems = new List<string>();
        var table = Parse(line, problems);

        Assert.Null(table);
        Assert.Contains(expected, problems);
    }
}
