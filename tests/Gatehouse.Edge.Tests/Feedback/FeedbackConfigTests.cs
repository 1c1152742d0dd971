using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Signals.Feedback;

namespace Gatehouse.Edge.Tests.Feedback;

public sealed class FeedbackConfigTests
{
    private static EdgeConfig Parse(string text) =>
        EdgeConfigLoader.Parse(text, "/tmp/edge.toml", new Dictionary<string, string>());

    private static IReadOnlyList<string> Errors(string text) =>
        Assert.Throws<EdgeConfigException>(() => Parse(text)).Errors;

    [Fact]
    public void Feedback_PollRule_ReadsEveryKey()
    {
        var config = Parse("""
            [[feedback]]
            name = "errors"
            table = "per_ip"
            when = "http_err_rate >= 20"
            ttl = "10m"
            key = "subject"
            source = "poll"
            runtime_api = "tcp:127.0.0.1:9999"
            interval = "500ms"
            """);

        var rule = Assert.Single(config.Feedback);
        Assert.Equal("errors", rule.Name);
        Assert.Equal("per_ip", rule.Table);
        Assert.Equal(new FeedbackCondition("http_err_rate", FeedbackOperator.GreaterOrEqual, 20), rule.When);
        Assert.Equal(FeedbackAction.PenaltyBox, rule.Action);
        Assert.Equal(TimeSpan.FromMinutes(10), rule.Ttl);
        Assert.Equal(FeedbackKeyKind.Subject, rule.Key);
        Assert.Equal(FeedbackSourceKind.Poll, rule.Source);
        Assert.Equal("tcp:127.0.0.1:9999", rule.RuntimeApi);
        Assert.Equal(TimeSpan.FromMilliseconds(500), rule.Interval);
        Assert.Equal(1, rule.Line);
    }

    [Fact]
    public void Feedback_Defaults_PushPenaltyBoxByClientIp()
    {
        var rule = Assert.Single(Parse("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\n").Feedback);
        Assert.Equal(FeedbackSourceKind.Push, rule.Source);
        Assert.Equal(FeedbackAction.PenaltyBox, rule.Action);
        Assert.Equal(FeedbackKeyKind.ClientIp, rule.Key);
        Assert.Equal(TimeSpan.FromMinutes(5), rule.Ttl);
    }

    [Fact]
    public void Feedback_RequireSignIn_ReadsEffect()
    {
        var rule = Assert.Single(Parse("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\naction = \"require_sign_in\"\n").Feedback);
        Assert.Equal(FeedbackEffect.RequireSignIn, rule.Effect);
        Assert.Equal(FeedbackKeyKind.ClientIp, rule.Key);
    }

    [Fact]
    public void Feedback_RequireSignInBySubject_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\naction = \"require_sign_in\"\nkey = \"subject\"\n");
        Assert.Equal("edge.toml:6: feedback rule \"a\" with action = \"require_sign_in\" needs key = \"client_ip\", because a request on a public route has no subject", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_UnknownAction_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\naction = \"ban\"\n");
        Assert.Equal("edge.toml:5: key 'action' in feedback rule \"a\" must be \"penalty_box\", \"require_sign_in\" or \"rate_limit\"; got \"ban\"", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_BadCondition_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 < 1\"\n");
        Assert.Equal("edge.toml:4: key 'when' in feedback rule \"a\" must be COUNTER OP VALUE with OP one of >, >=, ==, for example when = \"gpt0 > 0\"; got \"gpt0 < 1\"", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_UnknownCounter_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"req_rate > 1\"\n");
        Assert.StartsWith("edge.toml:4: key 'when' in feedback rule \"a\" names unknown stick table data type 'req_rate'; expected one of: server_id, gpt0,", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_PollWithoutRuntimeApi_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\nsource = \"poll\"\n");
        Assert.Equal("edge.toml:1: feedback rule \"a\" with source = \"poll\" needs key 'runtime_api', for example runtime_api = \"unix:/run/haproxy/admin.sock\"", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_PushWithRuntimeApi_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\nruntime_api = \"unix:/x.sock\"\n");
        Assert.Equal("edge.toml:5: key 'runtime_api' in feedback rule \"a\" only applies with source = \"poll\"; remove it or set source = \"poll\"", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_BadRuntimeApi_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\nsource = \"poll\"\nruntime_api = \"localhost:9999\"\n");
        Assert.Equal("edge.toml:6: key 'runtime_api' in feedback rule \"a\" must be \"unix:/path/to/socket\" or \"tcp:IP:PORT\"; got \"localhost:9999\"", Assert.Single(errors));
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("90s")]
    [InlineData("2h")]
    public void Feedback_TtlNotWholeMinutes_Rejected(string ttl)
    {
        var errors = Errors($"[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\nttl = \"{ttl}\"\n");
        Assert.Equal("edge.toml:5: key 'ttl' in feedback rule \"a\" must be whole minutes from \"1m\" to \"60m\", because the penalty box keeps whole minutes", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_BadKey_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\nkey = \"header:x\"\n");
        Assert.Equal("edge.toml:5: key 'key' in feedback rule \"a\" must be \"client_ip\" or \"subject\", what the stick table is keyed by; got \"header:x\"", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_DuplicateName_Rejected()
    {
        var rule = "[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\n";
        var errors = Errors(rule + "\n" + rule);
        Assert.Equal("edge.toml:6: feedback rule \"a\" is already defined at line 1; give each a unique name", Assert.Single(errors));
    }

    [Fact]
    public void Feedback_UnknownKey_Rejected()
    {
        var errors = Errors("[[feedback]]\nname = \"a\"\ntable = \"t\"\nwhen = \"gpt0 > 0\"\ntl = \"1m\"\n");
        Assert.StartsWith("edge.toml:5: unknown key 'tl' in [[feedback]] (did you mean 'ttl'?)", Assert.Single(errors));
    }
}
