using Gatehouse.Edge.Feedback;
using Gatehouse.Signals.Feedback;

namespace Gatehouse.Edge.Tests.Feedback;

public sealed class ShowTableOutputTests
{
    [Fact]
    public void Parse_Entries_KeysAndValues()
    {
        var entries = ShowTableOutput.Parse(
            "# table: web, type: ip, size:1024, used:2\n" +
            "0x55d0c1a3e2a0: key=127.0.0.1 use=0 exp=29813 gpt0=1 http_req_rate(10000)=3\n" +
            "0x55d0c1a3e3b0: key=10.0.0.9 use=1 exp=599990 gpt0=0 http_req_rate(10000)=0\n\n");

        Assert.Equal(2, entries.Count);
        Assert.Equal("127.0.0.1", entries[0].Key);
        Assert.Equal(1, entries[0].Values["gpt0"]);
        Assert.Equal(3, entries[0].Values["http_req_rate"]);
        Assert.Equal("10.0.0.9", entries[1].Key);
    }

    [Fact]
    public void Parse_ErrorReply_Throws()
    {
        var error = Assert.Throws<FormatException>(() => ShowTableOutput.Parse("No such table: webb\n"));
        Assert.Equal("unexpected runtime API output: No such table: webb", error.Message);
    }

    [Theory]
    [InlineData(FeedbackOperator.GreaterThan, "show table web data.gpt0 gt 0")]
    [InlineData(FeedbackOperator.GreaterOrEqual, "show table web data.gpt0 ge 0")]
    [InlineData(FeedbackOperator.Equal, "show table web data.gpt0 eq 0")]
    public void CommandFor_Operator_HaproxyFilter(FeedbackOperator op, string expected)
    {
        var rule = new FeedbackRule("r", "web", new FeedbackCondition("gpt0", op, 0), FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(1), FeedbackKeyKind.ClientIp, 1);
        Assert.Equal(expected, PollSource.CommandFor(rule));
    }
}
