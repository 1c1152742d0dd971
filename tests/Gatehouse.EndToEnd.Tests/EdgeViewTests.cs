using Gatehouse.Cli.Top;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>The edge lines of <c>gatehouse top</c>, from fixed Prometheus text.</summary>
public sealed class EdgeViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Metrics(long allow, long deny) => $$"""
        # HELP gatehouse_edge_decisions_total Requests decided, by rule and action
        # TYPE gatehouse_edge_decisions_total counter
        gatehouse_edge_decisions_total{rule="route /api/ (edge.toml:3)",action="allow"} {{allow}}
        gatehouse_edge_decisions_total{rule="static",action="allow"} 10
        gatehouse_edge_decisions_total{rule="token \"quoted\"",action="deny"} {{deny}}
        gatehouse_edge_decisions_total{other="true"} 1
        # TYPE gatehouse_edge_penalty_box_entries gauge
        gatehouse_edge_penalty_box_entries 3
        gatehouse_edge_token_validations_total{result="valid"} 99
        """;

    [Fact]
    public void Parse_Decisions_SumsByAction()
    {
        var snapshot = EdgeSnapshot.Parse(Metrics(allow: 20, deny: 4), Start);

        Assert.Equal(30, snapshot.DecisionsByAction["allow"]);
        Assert.Equal(4, snapshot.DecisionsByAction["deny"]);
        Assert.Equal(1, snapshot.DecisionsByAction["other"]);
        Assert.Equal(3, snapshot.DecisionsByAction.Count);
        Assert.Equal(3, snapshot.PenaltyBoxEntries);
    }

    [Fact]
    public void Parse_HostileText_KeepsBoundedActions()
    {
        var lines = Enumerable.Range(0, 500).Select(i => $"gatehouse_edge_decisions_total{{action=\"a{i}\"}} 1")
            .Append("gatehouse_edge_decisions_total{action=\"x\"} NaN")
            .Append("gatehouse_edge_decisions_total{action=\"y\"} -5")
            .Append("gatehouse_edge_decisions_total{action=\"z\"} 1e300")
            .Append("gatehouse_edge_decisions_total{action=\"unterminated} 1");

        var snapshot = EdgeSnapshot.Parse(string.Join('\n', lines), Start);

        Assert.Equal(32, snapshot.DecisionsByAction.Count);
        Assert.DoesNotContain("x", snapshot.DecisionsByAction.Keys);
        Assert.DoesNotContain("y", snapshot.DecisionsByAction.Keys);
        Assert.Null(snapshot.PenaltyBoxEntries);
    }

    [Fact]
    public void Render_FirstReading_ShowsTotals()
    {
        var lines = EdgeView.Render(EdgeSnapshot.Parse(Metrics(allow: 20, deny: 4), Start), null, null);

        Assert.Equal(["EDGE", "  decisions so far  allow 30  deny 4  other 1", "  penalty box 3 entries"], lines);
    }

    [Fact]
    public void Render_TwoReadings_ShowsRatePerSecond()
    {
        var before = EdgeSnapshot.Parse(Metrics(allow: 20, deny: 4), Start);
        var after = EdgeSnapshot.Parse(Metrics(allow: 40, deny: 5), Start.AddSeconds(2));

        var lines = EdgeView.Render(after, before, null);

        Assert.Equal("  decisions/s  allow 10  deny 0.5  other 0", lines[1]);
    }

    [Fact]
    public void Render_CounterWentBack_ShowsDash()
    {
        var before = EdgeSnapshot.Parse(Metrics(allow: 20, deny: 4), Start);
        var restarted = EdgeSnapshot.Parse(Metrics(allow: 0, deny: 0), Start.AddSeconds(2));

        var lines = EdgeView.Render(restarted, before, null);

        Assert.Equal("  decisions/s  allow -  deny -  other 0", lines[1]);
    }

    [Fact]
    public void Render_Unreachable_ShowsError()
    {
        var lines = EdgeView.Render(null, null, "edge metrics at http://127.0.0.1:1/metrics unavailable: refused");

        Assert.Equal(["EDGE", "  edge metrics at http://127.0.0.1:1/metrics unavailable: refused"], lines);
    }
}
