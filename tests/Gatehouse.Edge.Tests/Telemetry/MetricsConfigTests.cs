using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Telemetry;

public sealed class MetricsConfigTests
{
    [Fact]
    public void Load_NoMetricsSection_HasNoListener()
    {
        Assert.Null(Parse("[edge]\nlisten = \"127.0.0.1:8080\"\n").Metrics);
    }

    [Fact]
    public void Load_EmptyMetricsSection_UsesLoopbackDefaults()
    {
        var metrics = Parse("[metrics]\n").Metrics;

        Assert.NotNull(metrics);
        Assert.Equal("127.0.0.1:9464", metrics.Listen);
        Assert.Equal("/metrics", metrics.Path);
    }

    [Fact]
    public void Load_ListenFromVariable_IsExpanded()
    {
        var variables = new Dictionary<string, string> { ["EDGE_METRICS_LISTEN"] = "127.0.0.1:0" };

        var metrics = EdgeConfigLoader.Parse("[metrics]\nlisten = \"${EDGE_METRICS_LISTEN-127.0.0.1:9464}\"\n", "edge.toml", variables).Metrics;

        Assert.Equal("127.0.0.1:0", metrics!.Listen);
    }

    [Fact]
    public void Load_BadListen_ReportsLine()
    {
        var message = SingleError("[metrics]\nlisten = \"9464\"\n");

        Assert.Equal("edge.toml:2: key 'listen' in [metrics] must be IP:port, [IPv6]:port, localhost:port or *:port, "
            + "for example listen = \"127.0.0.1:9464\"; got \"9464\"", message);
    }

    [Fact]
    public void Load_ListenOfPublicListener_IsRejected()
    {
        var message = SingleError("[edge]\nlisten = \"127.0.0.1:8080\"\n\n[metrics]\nlisten = \"127.0.0.1:8080\"\n");

        Assert.StartsWith("edge.toml:5: key 'listen' in [metrics] is \"127.0.0.1:8080\", an address a public edge listener uses;", message);
    }

    [Fact]
    public void Load_ListenOnWildcardPublicPort_IsRejected()
    {
        var message = SingleError("[edge]\nlisten = \"*:8080\"\n\n[metrics]\nlisten = \"127.0.0.1:8080\"\n");

        Assert.StartsWith("edge.toml:5: key 'listen' in [metrics]", message);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("/metrics?x=1")]
    [InlineData("/my metrics")]
    public void Load_BadPath_ReportsLine(string path)
    {
        var message = SingleError($"[metrics]\npath = \"{path}\"\n");

        Assert.StartsWith("edge.toml:2: key 'path' in [metrics] must be a path of at most 256 characters that starts with '/'", message);
        Assert.EndsWith($"got \"{path}\"", message);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/stats")]
    public void Load_PanelPath_IsRejected(string path)
    {
        var message = SingleError($"[metrics]\npath = \"{path}\"\n");

        Assert.Equal($"edge.toml:2: key 'path' in [metrics] must not be \"{path}\", where the listener serves the edge panel; "
            + "use another path, for example \"/metrics\"", message);
    }

    [Fact]
    public void Load_UnknownKey_IsRejected()
    {
        var message = SingleError("[metrics]\nport = 9464\n");

        Assert.StartsWith("edge.toml:2: unknown key 'port' in [metrics]", message);
    }

    private static EdgeConfig Parse(string toml) => EdgeConfigLoader.Parse(toml, "edge.toml", new Dictionary<string, string>());

    private static string SingleError(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Parse(toml)).Errors);
}
