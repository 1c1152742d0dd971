using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Signals.Feedback;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>Reading <c>action = "rate_limit"</c> and the poll <c>timeout</c> of <c>[[feedback]]</c> rules.</summary>
public sealed class FeedbackRateLimitConfigTests
{
    private const string Head = "[[feedback]]\nname = \"slow\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\n";

    private static EdgeConfig Parse(string text) =>
        EdgeConfigLoader.Parse(text, "/tmp/edge.toml", new Dictionary<string, string>());

    private static IReadOnlyList<string> Errors(string text) =>
        Assert.Throws<EdgeConfigException>(() => Parse(text)).Errors;

    [Fact]
    public void RateLimit_EveryKey_Read()
    {
        var rule = Assert.Single(Parse(Head + "action = \"rate_limit\"\nlimit = 2\nwindow = \"60s\"\nttl = \"10m\"\nkey = \"subject\"\n").Feedback);

        Assert.Equal(FeedbackEffect.RateLimit, rule.Effect);
        Assert.Equal(FeedbackAction.RateLimit, rule.Action);
        Assert.Equal(new FeedbackLimit(2, 60), rule.Limit);
        Assert.Equal(TimeSpan.FromMinutes(10), rule.Ttl);
        Assert.Equal(FeedbackKeyKind.Subject, rule.Key);
    }

    [Fact]
    public void RateLimit_WindowDefault_TenSeconds()
    {
        var rule = Assert.Single(Parse(Head + "action = \"rate_limit\"\nlimit = 1\n").Feedback);
        Assert.Equal(new FeedbackLimit(1, 10), rule.Limit);
    }

    [Fact]
    public void PenaltyRule_NoLimit()
    {
        var rule = Assert.Single(Parse(Head).Feedback);
        Assert.Null(rule.Limit);
        Assert.Equal(FeedbackAction.PenaltyBox, rule.Action);
    }

    [Fact]
    public void RateLimit_MissingLimit_Rejected()
    {
        var errors = Errors(Head + "action = \"rate_limit\"\n");
        Assert.Equal("edge.toml:5: feedback rule \"slow\" with action = \"rate_limit\" needs key 'limit', the allowed requests per second averaged over 'window'; add limit = 1", Assert.Single(errors));
    }

    [Theory]
    [InlineData("0", "got 0")]
    [InlineData("\"10\"", "got \"10\"")]
    [InlineData("{ requests = 10, per = \"10s\" }", "got a table")]
    public void RateLimit_BadLimit_Rejected(string value, string got)
    {
        var errors = Errors(Head + $"action = \"rate_limit\"\nlimit = {value}\n");
        Assert.Equal($"edge.toml:6: key 'limit' in [[feedback]] must be an integer from 1 to 70000000; {got}", Assert.Single(errors));
    }

    [Theory]
    [InlineData("5s")]
    [InlineData("1m30s")]
    [InlineData("2m")]
    public void RateLimit_BadWindow_Rejected(string window)
    {
        var errors = Errors(Head + $"action = \"rate_limit\"\nlimit = 1\nwindow = \"{window}\"\n");
        var error = Assert.Single(errors);
        Assert.StartsWith("edge.toml:7: key 'window' in ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimit_WindowNotKept_Rejected()
    {
        var errors = Errors(Head + "action = \"rate_limit\"\nlimit = 1\nwindow = \"30s\"\n");
        Assert.Equal("edge.toml:7: key 'window' in feedback rule \"slow\" must be \"1s\", \"10s\" or \"60s\", the windows rate counters keep", Assert.Single(errors));
    }

    [Theory]
    [InlineData("penalty_box", "limit = 1", 6, "limit")]
    [InlineData("require_sign_in", "window = \"10s\"", 6, "window")]
    public void LimitKeys_OtherAction_Rejected(string action, string line, int lineNumber, string key)
    {
        var errors = Errors(Head + $"action = \"{action}\"\n{line}\n");
        Assert.Equal($"edge.toml:{lineNumber}: key '{key}' in feedback rule \"slow\" only applies with action = \"rate_limit\"; remove it or set action = \"rate_limit\"", Assert.Single(errors));
    }

    [Fact]
    public void RateLimit_TtlNotWholeMinutes_Rejected()
    {
        var errors = Errors(Head + "action = \"rate_limit\"\nlimit = 1\nttl = \"30s\"\n");
        Assert.Equal("edge.toml:7: key 'ttl' in feedback rule \"slow\" must be whole minutes from \"1m\" to \"60m\", because the penalty box keeps whole minutes", Assert.Single(errors));
    }

    [Fact]
    public void Name_TooLong_Rejected()
    {
        var name = new string('n', 65);
        var errors = Errors($"[[feedback]]\nname = \"{name}\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\n");
        Assert.Equal($"edge.toml:2: key 'name' in feedback rule \"{name[..20]}...\" must be at most 64 characters, because it is part of every penalty box entry of the rule; use a shorter name", Assert.Single(errors));
    }

    [Fact]
    public void Poll_Timeout_ReadAndDefaulted()
    {
        const string Poll = "source = \"poll\"\nruntime_api = \"tcp:127.0.0.1:9999\"\n";
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(Parse(Head + Poll).Feedback).PollTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(750), Assert.Single(Parse(Head + Poll + "timeout = \"750ms\"\n").Feedback).PollTimeout);
    }

    [Theory]
    [InlineData("50ms")]
    [InlineData("2m")]
    public void Poll_TimeoutOutOfRange_Rejected(string timeout)
    {
        var errors = Errors(Head + $"source = \"poll\"\nruntime_api = \"tcp:127.0.0.1:9999\"\ntimeout = \"{timeout}\"\n");
        Assert.Equal("edge.toml:7: key 'timeout' in feedback rule \"slow\" must be from \"100ms\" to \"1m\", the maximum time of one runtime API command", Assert.Single(errors));
    }

    [Fact]
    public void Push_Timeout_Rejected()
    {
        var errors = Errors(Head + "timeout = \"1s\"\n");
        Assert.Equal("edge.toml:5: key 'timeout' in feedback rule \"slow\" only applies with source = \"poll\"; remove it or set source = \"poll\"", Assert.Single(errors));
    }
}
