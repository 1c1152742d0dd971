using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class ConfigParserTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public void Parse_ListenWithoutBind_BecomesBackend()
    {
        const string text = """
            frontend fe
                bind 127.0.0.1:0
                default_backend pool
            listen pool
                balance uri whole depth 2
                hash-type consistent djb2
                http-request set-header X-Pool 1
                server s1 10.0.0.1:80
            """;

        var config = BalancerConfigLoader.Parse(text, "t.cfg", NoVariables);
        var pool = Assert.Single(config.Backends);

        Assert.Equal("fe", Assert.Single(config.Frontends).Name);
        Assert.Single(pool.RequestRules);
        Assert.Equal(BalanceAlgorithm.Uri, pool.Balance);
        Assert.Equal(new UriHashOptions(true, 0, 2), pool.Settings.UriHash);
        Assert.True(pool.Settings.ConsistentHash);
    }

    [Fact]
    public void Parse_Defaults_AreInheritedAndOverridden()
    {
        const string text = """
            defaults
                mode http
                timeout connect 5s
                timeout server 30s
                option forwardfor except 10.0.0.0/8 header X-Client
                balance leastconn
            frontend fe
                bind 127.0.0.1:0,127.0.0.1:0
                timeout client 1m
                default_backend be
            backend be
                timeout server 250ms
                server s1 10.0.0.1:80 weight 3 maxconn 20
                server s2 [::1]:81 backup disabled
            """;

        var config = BalancerConfigLoader.Parse(text, "t.cfg", NoVariables);

        var frontend = Assert.Single(config.Frontends);
        var backend = Assert.Single(config.Backends);
        Assert.Equal(2, frontend.Binds.Count);
        Assert.Equal(TimeSpan.FromMinutes(1), frontend.Settings.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), frontend.Settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), backend.Settings.ServerTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), frontend.Settings.ServerTimeout);
        Assert.Equal("X-Client", backend.Settings.ForwardFor!.HeaderName);
        Assert.Equal(BalanceAlgorithm.LeastConnections, backend.Balance);
        Assert.Equal(new ServerConfig("s1", "10.0.0.1", 80, 3, 20, false, false, new ConfigLocation("t.cfg", 13)), backend.Servers[0]);
        Assert.Equal(new ServerConfig("s2", "::1", 81, 1, null, true, true, new ConfigLocation("t.cfg", 14)), backend.Servers[1]);
    }

    [Fact]
    public void Parse_NamedDefaults_AreUsedWithFrom()
    {
        const string text = """
            defaults slow
                timeout server 9s
            defaults fast
                timeout server 1s
            backend be from slow
            """;

        var config = BalancerConfigLoader.Parse(text, "t.cfg", NoVariables);

        Assert.Equal(TimeSpan.FromSeconds(9), config.Backends[0].Settings.ServerTimeout);
    }

    [Fact]
    public void Parse_Listen_IsFrontendAndBackend()
    {
        var config = BalancerConfigLoader.Parse("listen web\n    bind :0\n    server s1 127.0.0.1:80\n", "t.cfg", NoVariables);

        Assert.Equal("web", Assert.Single(config.Frontends).Name);
        Assert.Null(config.Frontends[0].Binds[0].Host);
        Assert.Equal("s1", Assert.Single(Assert.Single(config.Backends).Servers).Name);
    }

    [Theory]
    [InlineData("100", 100_000)]
    [InlineData("100us", 100)]
    [InlineData("5ms", 5_000)]
    [InlineData("2s", 2_000_000)]
    [InlineData("3m", 180_000_000)]
    [InlineData("1h", 3_600_000_000)]
    [InlineData("1d", 86_400_000_000)]
    public void TimeValue_Units_Parse(string text, long microseconds)
    {
        Assert.True(TimeValue.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("5w")]
    [InlineData("-5s")]
    public void TimeValue_Malformed_IsRejected(string text)
    {
        Assert.False(TimeValue.TryParse(text, out _));
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Load(["/nonexistent/gatehouse/haproxy.cfg"], NoVariables));

        Assert.StartsWith("/nonexistent/gatehouse/haproxy.cfg: configuration file not found", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }
}
