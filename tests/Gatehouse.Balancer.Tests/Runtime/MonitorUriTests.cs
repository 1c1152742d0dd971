using System.Net;
using Gatehouse.Balancer.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class MonitorUriTests
{
    private static string Config(string serverAddress, string defaultsLine, string frontendLine) => $"""
        defaults
            mode http
            timeout connect 2s
            {defaultsLine}
        frontend fe
            bind 127.0.0.1:0
            {frontendLine}
            http-request deny
            default_backend be
        backend be
            server s1 {serverAddress}
        """;

    [Fact]
    public async Task MonitorUri_MatchingPath_Answers200WithoutForwarding()
    {
        await using var origin = await StatusOrigin.StartAsync("s1", 200);
        await using var balancer = await StartAsync(Config(origin.Address, "", "monitor-uri /health"));

        using var response = await balancer.SendAsync(Get("/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, origin.Requests);
        var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("static", record.Decision);
    }

    [Fact]
    public async Task MonitorUri_OtherPath_RulesStillApply()
    {
        await using var origin = await StatusOrigin.StartAsync("s1", 200);
        await using var balancer = await StartAsync(Config(origin.Address, "", "monitor-uri /health"));

        using var response = await balancer.SendAsync(Get("/health/more"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, origin.Requests);
    }

    [Fact]
    public async Task MonitorUri_InDefaults_InheritedByFrontend()
    {
        await using var origin = await StatusOrigin.StartAsync("s1", 200);
        await using var balancer = await StartAsync(Config(origin.Address, "monitor-uri /alive", ""));

        using var response = await balancer.SendAsync(Get("/alive"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("monitor-uri", "t.cfg:3: 'monitor-uri' expects one path starting with '/', such as 'monitor-uri /health', got 'nothing'")]
    [InlineData("monitor-uri health", "t.cfg:3: 'monitor-uri' expects one path starting with '/', such as 'monitor-uri /health', got 'health'")]
    [InlineData("monitor-uri /a /b", "t.cfg:3: 'monitor-uri' expects one path starting with '/', such as 'monitor-uri /health', got '/a /b'")]
    public void MonitorUri_BadArguments_Rejected(string line, string expected)
    {
        var text = $"frontend fe\n    bind 127.0.0.1:0\n    {line}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.Contains(expected, exception.Errors);
    }

    [Fact]
    public void MonitorUri_InBackend_Rejected()
    {
        var text = "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    monitor-uri /health\n    server s1 127.0.0.1:9000\n";

        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.Contains("t.cfg:5: 'monitor-uri' is not allowed in a 'backend' section; it belongs in defaults, frontend", exception.Errors);
    }
}
