using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class HealthRetryConfigTests
{
    private static string WithBackendLines(params string[] lines) =>
        "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n" + string.Concat(lines.Select(line => $"    {line}\n"));

    private static BackendConfig Backend(params string[] lines) =>
        BalancerConfigLoader.Parse(WithBackendLines(lines), "t.cfg", new Dictionary<string, string>()).Backends[0];

    [Theory]
    [InlineData("server s1 127.0.0.1:9000 rise 0", "t.cfg:5: 'server s1' option 'rise' expects an integer greater than 0, got '0'")]
    [InlineData("server s1 127.0.0.1:9000 fall", "t.cfg:5: 'server s1' option 'fall' expects an integer greater than 0, got 'nothing'")]
    [InlineData("server s1 127.0.0.1:9000 inter 0", "t.cfg:5: 'server s1' option 'inter' expects a time above zero, such as 2s or 500ms, got '0'")]
    [InlineData("server s1 127.0.0.1:9000 fastinter 2x", "t.cfg:5: 'server s1' option 'fastinter' expects a time above zero, such as 2s or 500ms, got '2x'")]
    [InlineData("server s1 127.0.0.1:9000 maxqueue -1", "t.cfg:5: 'server s1' option 'maxqueue' expects an integer of 0 or more, got '-1'")]
    [InlineData("retries many", "t.cfg:5: 'retries' expects one integer of 0 or more, got 'many'")]
    [InlineData("retry-on conn-failur", "t.cfg:5: 'retry-on' expects one or more of none, conn-failure, empty-response, junk-response, response-timeout, 401, 403, 404, 408, 425, 500, 501, 502, 503, 504, all-retryable-errors, got 'conn-failur'; did you mean 'conn-failure'?")]
    [InlineData("retry-on none 503", "t.cfg:5: 'retry-on none' cannot be combined with other keywords")]
    [InlineData("option redispatch often", "t.cfg:5: 'option redispatch' expects an optional integer interval (1 for every retry, -1 for the last), got 'often'")]
    [InlineData("option httpchk GET /a HTTP/2", "t.cfg:5: 'option httpchk' expects version HTTP/1.0 or HTTP/1.1, got 'HTTP/2'")]
    [InlineData("option httpchk health", "t.cfg:5: 'option httpchk' expects a URI that starts with '/', got 'health'")]
    [InlineData("option httpchk GET /a HTTP/1.1 extra", "t.cfg:5: 'option httpchk' expects at most a method, a URI and a version, got 4 arguments")]
    [InlineData("http-check expect status 2xx", "t.cfg:5: 'http-check expect status' expects status codes or ranges such as 200 or 200-399,404, got '2xx'")]
    [InlineData("http-check expect rstatus (", "t.cfg:5: 'http-check expect rstatus' has an invalid regular expression '('")]
    [InlineData("http-check expect header x", "t.cfg:5: 'http-check expect' expects status, rstatus or string, got 'header'")]
    [InlineData("http-check send meth", "t.cfg:5: 'http-check send' expects a value after 'meth'")]
    [InlineData("http-check send body x", "t.cfg:5: 'http-check send' argument 'body' is not supported yet")]
    [InlineData("http-check sned", "t.cfg:5: 'http-check' expects 'send' or 'expect', got 'sned'; did you mean 'send'?")]
    public void BadArgument_Rejected_WithMessage(string line, string expected)
    {
        var text = WithBackendLines(line, "option httpchk");
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));
        Assert.Contains(expected, exception.Errors);
    }

    [Fact]
    public void HttpCheck_WithoutHttpchk_Rejected()
    {
        var exception = Assert.Throws<ConfigException>(() => Backend("server s1 127.0.0.1:9000 check", "http-check expect status 200"));
        Assert.Equal(["t.cfg:6: 'http-check' needs 'option httpchk' in backend 'be' or its defaults; without it checks are TCP connects"], exception.Errors);
    }

    [Fact]
    public void ServerCheck_Defaults_MatchHaproxy()
    {
        var check = Backend("server s1 127.0.0.1:9000 check").Servers[0].Check;
        Assert.NotNull(check);
        Assert.Equal(TimeSpan.FromSeconds(2), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), check.FastInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), check.DownInterval);
        Assert.Equal(2, check.Rise);
        Assert.Equal(3, check.Fall);
    }

    [Fact]
    public void ServerCheck_Options_Parsed()
    {
        var server = Backend("server s1 127.0.0.1:9000 check inter 1s fastinter 200ms downinter 5s rise 4 fall 1 maxqueue 7").Servers[0];
        Assert.Equal(new ServerCheckSettings(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), 4, 1), server.Check);
        Assert.Equal(7, server.MaxQueue);
    }

    [Fact]
    public void ServerWithoutCheck_HasNoCheck()
    {
        Assert.Null(Backend("server s1 127.0.0.1:9000 inter 1s").Servers[0].Check);
    }

    [Fact]
    public void Httpchk_WithSend_MergesRequest()
    {
        var check = Backend("option httpchk GET /old", "http-check send meth HEAD uri /health ver HTTP/1.1 hdr Host example.test").Settings.HttpCheck;
        Assert.NotNull(check);
        Assert.Equal("HEAD", check.Method);
        Assert.Equal("/health", check.Uri);
        Assert.Equal("HTTP/1.1", check.Version);
        Assert.Equal([new KeyValuePair<string, string>("Host", "example.test")], check.Headers);
    }

    [Fact]
    public void Httpchk_Bare_UsesOptionsRoot()
    {
        Assert.Equal(HttpCheckRequest.Default, Backend("option httpchk").Settings.HttpCheck);
    }

    [Fact]
    public void Retries_Defaults_MatchHaproxy()
    {
        var settings = Backend("server s1 127.0.0.1:9000").Settings;
        Assert.Equal(3, settings.Retries);
        Assert.Equal(RetryConditions.ConnectionFailure, settings.RetryOn);
        Assert.Equal(0, settings.RedispatchInterval);
        Assert.Null(settings.HttpCheck);
    }

    [Fact]
    public void RetryOn_Keywords_Combine()
    {
        var settings = Backend("retries 5", "retry-on 503 empty-response", "option redispatch").Settings;
        Assert.Equal(5, settings.Retries);
        Assert.Equal(RetryConditions.Status503 | RetryConditions.EmptyResponse, settings.RetryOn);
        Assert.Equal(1, settings.RedispatchInterval);
    }
}
