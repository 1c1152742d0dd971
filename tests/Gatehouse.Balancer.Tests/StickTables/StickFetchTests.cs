using System.Net;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Rules;
using Gatehouse.Balancer.StickTables;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Tests.StickTables;

public sealed class StickFetchTests : IAsyncDisposable
{
    private readonly ManualClock _clock = new();
    private readonly StickTableRegistry _registry;

    public StickFetchTests()
    {
        var problems = new List<string>();
        var location = new Gatehouse.Balancer.Configuration.ConfigLocation("test.cfg", 1);
        _registry = new StickTableRegistry(
            [
                StickTableParser.Parse("st_src", "type ip size 100 expire 1m store http_req_rate(10s),http_err_rate(10s),gpc0,gpt0,conn_cur".Split(' '), location, problems)!,
                StickTableParser.Parse("st_other", "type ip size 100 store gpc0".Split(' '), location, problems)!,
            ],
            _clock);
        Assert.Empty(problems);
    }

    public ValueTask DisposeAsync() => _registry.DisposeAsync();

    private SampleContext NewRequest(string client = "192.0.2.7")
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        http.Features.Set(new StickRequestState(_registry, _registry.Find("st_src")));
        return new SampleContext(http, "/");
    }

    private static SampleFetch Fetch(string name, string? argument = null)
    {
        var problems = new List<string>();
        var fetch = StickFetchCatalog.Create(name, argument, problems);
        Assert.Empty(problems);
        return fetch!;
    }

    private static HttpRequestRule Rule(string action, params string[] args)
    {
        var problems = new List<string>();
        var rule = StickRuleParser.Parse(action, args, problems);
        Assert.Empty(problems);
        return rule!;
    }

    private static void Run(HttpRequestRule rule, SampleContext context) => rule.Execute(context, out _);

    [Fact]
    public void Catalog_EveryCounter_HasAllForms()
    {
        foreach (var name in new[] { "sc_http_req_rate", "sc0_http_req_rate", "sc1_get_gpc0", "sc2_inc_gpc1", "src_http_err_rate", "src_get_gpc0", "sc_tracked", "sc0_conn_cur", "table_cnt", "table_avl" })
        {
            Assert.True(StickFetchCatalog.Contains(name), name);
        }

        Assert.False(StickFetchCatalog.Contains("src_tracked"));
    }

    [Theory]
    [InlineData("sc_http_req_rate", "3")]
    [InlineData("sc_http_req_rate", "0,st,x")]
    [InlineData("sc_http_req_rate", null)]
    [InlineData("sc0_http_req_rate", "a,b")]
    public void Catalog_InvalidArguments_ReportProblem(string name, string? argument)
    {
        var problems = new List<string>();

        Assert.Null(StickFetchCatalog.Create(name, argument, problems));
        Assert.Single(problems);
    }

    [Fact]
    public void Fetch_UntrackedCounter_HasNoValue()
    {
        var context = NewRequest();

        Assert.Null(Fetch("sc_http_req_rate", "0").FetchString(context));
        Assert.Equal("0", Fetch("sc0_tracked").FetchString(context));
    }

    [Fact]
    public void Track_ThreeRequests_RateReadsThreeInAllForms()
    {
        for (var i = 0; i < 3; i++)
        {
            var context = NewRequest();
            Run(Rule("track-sc0", "src"), context);
            if (i < 2)
            {
                StickRequestState.From(context.Http)!.Counters!.Release();
                continue;
            }

            Assert.Equal("3", Fetch("sc_http_req_rate", "0").FetchString(context));
            Assert.Equal("3", Fetch("sc0_http_req_rate").FetchString(context));
            Assert.Equal("3", Fetch("src_http_req_rate").FetchString(context));
            Assert.Equal("3", Fetch("src_http_req_rate", "st_src").FetchString(context));
            Assert.Equal("1", Fetch("sc0_tracked").FetchString(context));
            Assert.Equal("1", Fetch("sc0_conn_cur").FetchString(context));
            Assert.Equal("1", Fetch("table_cnt").FetchString(context));
            Assert.Equal("99", Fetch("table_avl").FetchString(context));
        }
    }

    [Fact]
    public void Fetch_DataTypeNotStored_HasNoValue()
    {
        var context = NewRequest();
        Run(Rule("track-sc0", "src"), context);

        Assert.Null(Fetch("sc0_http_fail_rate").FetchString(context));
    }

    [Fact]
    public void Fetch_SourceNotInTable_ReadsZero()
    {
        Assert.Equal("0", Fetch("src_get_gpc0").FetchString(NewRequest()));
    }

    [Fact]
    public void IncGpc0_ActionAndFetch_IncrementTrackedEntry()
    {
        var context = NewRequest();
        Run(Rule("track-sc1", "src"), context);
        Run(Rule("sc-inc-gpc0(1)"), context);

        Assert.Equal("2", Fetch("sc1_inc_gpc0").FetchString(context));
        Assert.Equal("2", Fetch("sc_get_gpc0", "1").FetchString(context));
        Assert.Equal("2", Fetch("src_get_gpc0").FetchString(NewRequest()));
        Assert.Equal("0", Fetch("src_get_gpc0").FetchString(NewRequest("192.0.2.8")));
    }

    [Fact]
    public void SetGpt0_Constant_SetsTag()
    {
        var context = NewRequest();
        Run(Rule("track-sc0", "src"), context);
        Run(Rule("sc-set-gpt0(0)", "7"), context);

        Assert.Equal("7", Fetch("sc0_get_gpt0").FetchString(context));
    }

    [Fact]
    public void Fetch_OtherTable_LooksUpTrackedKey()
    {
        var other = _registry.Find("st_other")!;
        other.Add(other.GetOrCreate("192.0.2.7")!, StickDataType.Gpc0, 4);
        var context = NewRequest();
        Run(Rule("track-sc0", "src"), context);

        Assert.Equal("4", Fetch("sc_get_gpc0", "0,st_other").FetchString(context));
        Assert.Equal("4", Fetch("sc0_get_gpc0", "st_other").FetchString(context));
    }

    [Fact]
    public void Track_TableArgument_TracksInThatTable()
    {
        var context = NewRequest();
        Run(Rule("track-sc2", "src", "table", "st_other"), context);

        Assert.Equal(1, _registry.Find("st_other")!.Count);
        Assert.Equal(0, _registry.Find("st_src")!.Count);
    }

    [Theory]
    [InlineData("track-sc0", new string[0])]
    [InlineData("track-sc0", new[] { "src", "tables", "x" })]
    [InlineData("sc-inc-gpc0(3)", new string[0])]
    [InlineData("sc-inc-gpc0(0)", new[] { "1" })]
    [InlineData("sc-set-gpt0(0)", new string[0])]
    public void Parse_InvalidAction_ReportsProblem(string action, string[] args)
    {
        var problems = new List<string>();

        Assert.Null(StickRuleParser.Parse(action, args, problems));
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void ErrorRateRule_TwentyErrors_TagsClient()
    {
        // The "tag clients whose error rate passes 20 per 10 s" recipe: sc-set-gpt0 once sc0_http_err_rate exceeds 20.
        var tagged = false;
        for (var i = 0; i < 22; i++)
        {
            var context = NewRequest();
            Run(Rule("track-sc0", "src"), context);
            if (Fetch("sc0_http_err_rate").AnyMatch(context, IntegerAbove(20)))
            {
                Run(Rule("sc-set-gpt0(0)", "1"), context);
            }

            tagged = Fetch("sc0_get_gpt0").FetchString(context) == "1";
            var counters = StickRequestState.From(context.Http)!.Counters!;
            counters.CountStatus(404);
            counters.Release();
            Assert.Equal(i >= 21, tagged);
        }
    }

    private static IntegerMatcher IntegerAbove(long value)
    {
        var problems = new List<string>();
        var matcher = IntegerMatcher.Create(["gt", value.ToString(System.Globalization.CultureInfo.InvariantCulture)], problems);
        Assert.Empty(problems);
        return matcher;
    }
}
