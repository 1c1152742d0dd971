using Gatehouse.Cli.Top;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>The text layout of <c>gatehouse top</c>, from fixed `show stat` output.</summary>
public sealed class TopViewTests
{
    private const string Header = "# pxname,svname,qcur,scur,stot,status,weight,type,rate,req_rate,hrsp_2xx,hrsp_5xx,ereq,econ,eresp,\n";

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Csv(int publicTotal) => Header
        + "gateway,FRONTEND,,2,40,OPEN,,0,,,38,2,1,,,\n"
        + $"public,public1,0,1,{publicTotal},DRAIN,1,2,,,{publicTotal},0,,0,0,\n"
        + "public,public2,3,0,5,MAINT,0,2,,,5,0,,1,2,\n"
        + $"public,BACKEND,3,1,{publicTotal + 5},UP,1,1,,,{publicTotal + 5},0,,1,2,\n";

    [Fact]
    public void Render_FixedCsv_ListsProxiesAndServers()
    {
        var lines = TopView.Render(StatSnapshot.Parse(Csv(10), Start), null, -1, 200);

        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Equal("FRONTENDS", lines[1]);
        Assert.Matches(@"^  gateway\s+OPEN\s+-\s+2\s+-\s+-\s+-\s+40\s+1\s+2$", lines[2]);
        Assert.Equal("BACKENDS", lines[3]);
        Assert.Matches(@"^  public\s+UP\s+1\s+1\s+3\s+-\s+-\s+15\s+3\s+0$", lines[4]);
        Assert.Matches(@"^    public1\s+DRAIN\s+1\s+1\s+0\s+-\s+-\s+10\s+0\s+0$", lines[5]);
        Assert.Matches(@"^    public2\s+MAINT\s+0\s+0\s+3\s+-\s+-\s+5\s+3\s+0$", lines[6]);
        Assert.Equal(7, lines.Count);
    }

    [Fact]
    public void Render_SelectedServer_IsMarked()
    {
        var lines = TopView.Render(StatSnapshot.Parse(Csv(10), Start), null, 1, 200);

        Assert.StartsWith("    public1", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("  > public2", lines[6], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyRateColumns_ComputesRatesFromPreviousTotals()
    {
        var before = StatSnapshot.Parse(Csv(10), Start);
        var now = StatSnapshot.Parse(Csv(30), Start.AddSeconds(4));

        var lines = TopView.Render(now, before, -1, 200);

        // 20 more sessions and 20 more 2xx responses in 4 s.
        Assert.Matches(@"^    public1\s+DRAIN\s+1\s+1\s+0\s+5\s+5\s+30\s+0\s+0$", lines[5]);
        Assert.Matches(@"^    public2\s+MAINT\s+0\s+0\s+3\s+0\s+0\s+5\s+3\s+0$", lines[6]);
    }

    [Fact]
    public void Render_ReportedRateColumns_AreShownAsIs()
    {
        var csv = Header + "gateway,FRONTEND,,0,9,OPEN,,0,7,8,9,0,,,,\n";

        var lines = TopView.Render(StatSnapshot.Parse(csv, Start), null, -1, 200);

        Assert.Matches(@"^  gateway\s+OPEN\s+-\s+0\s+-\s+7\s+8\s+9\s+-\s+0$", lines[2]);
    }

    [Fact]
    public void Render_NarrowTerminal_CutsLines()
    {
        var lines = TopView.Render(StatSnapshot.Parse(Csv(10), Start), null, -1, 20);

        Assert.All(lines, line => Assert.True(line.Length <= 20, line));
    }

    [Fact]
    public void Parse_NoHeaderLine_Throws()
    {
        var exception = Assert.Throws<FormatException>(() => StatSnapshot.Parse("Unknown command\n", Start));

        Assert.Contains("header", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unix:/run/gh.sock", "unix:/run/gh.sock")]
    [InlineData("/run/gh.sock", "unix:/run/gh.sock")]
    [InlineData("tcp:127.0.0.1:9999", "tcp:127.0.0.1:9999")]
    public void RuntimeApiAddress_ValidValue_Parses(string value, string expected)
    {
        var address = RuntimeApiAddress.TryParse(value, out var error);

        Assert.Null(error);
        Assert.Equal(expected, address?.ToString());
    }

    [Theory]
    [InlineData("tcp:localhost:9999")]
    [InlineData("tcp:127.0.0.1")]
    [InlineData("unix:")]
    public void RuntimeApiAddress_InvalidValue_NamesExpectedForm(string value)
    {
        var address = RuntimeApiAddress.TryParse(value, out var error);

        Assert.Null(address);
        Assert.Contains("--socket expects", error, StringComparison.Ordinal);
    }
}
