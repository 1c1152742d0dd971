using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Configuration;

public sealed class LimitConfigTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    private static EdgeConfig Load(string toml) => EdgeConfigLoader.Parse(toml, "/tmp/edge.toml", NoVariables);

    private static string RejectOne(string toml) =>
        Assert.Single(Assert.Throws<EdgeConfigException>(() => Load(toml)).Errors);

    [Fact]
    public void Loader_NoTimeoutKeys_KestrelDefaults()
    {
        var limits = Load("").Limits;

        Assert.Equal(TimeSpan.FromSeconds(30), limits.RequestHeadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(130), limits.KeepAliveTimeout);
        Assert.Null(limits.MaxConnections);
    }

    [Fact]
    public void Loader_TimeoutAndConnectionKeys_Read()
    {
        var limits = Load("""
            [limits]
            request_head_timeout = "1500ms"
            keep_alive_timeout = "2m"
            max_connections = 5000
            """).Limits;

        Assert.Equal(TimeSpan.FromMilliseconds(1500), limits.RequestHeadTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), limits.KeepAliveTimeout);
        Assert.Equal(5000, limits.MaxConnections);
    }

    [Fact]
    public void Loader_TimeoutBounds_Accepted()
    {
        var limits = Load("[limits]\nrequest_head_timeout = \"100ms\"\nkeep_alive_timeout = \"1h\"\n").Limits;

        Assert.Equal(TimeSpan.FromMilliseconds(100), limits.RequestHeadTimeout);
        Assert.Equal(TimeSpan.FromHours(1), limits.KeepAliveTimeout);
    }

    [Theory]
    [InlineData("request_head_timeout = \"50ms\"",
        "edge.toml:2: key 'request_head_timeout' in [limits] must be a duration from \"100ms\" to \"1h\"; got \"50ms\"")]
    [InlineData("keep_alive_timeout = \"2h\"",
        "edge.toml:2: key 'keep_alive_timeout' in [limits] must be a duration from \"100ms\" to \"1h\"; got \"2h\"")]
    [InlineData("keep_alive_timeout = \"0s\"",
        "edge.toml:2: key 'keep_alive_timeout' in [limits] must be a duration from \"100ms\" to \"1h\"; got \"0s\"")]
    [InlineData("request_head_timeout = \"soon\"",
        "edge.toml:2: key 'request_head_timeout' in [limits] must be a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\"; got \"soon\"")]
    [InlineData("request_head_timeout = 30",
        "edge.toml:2: key 'request_head_timeout' in [limits] must be a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\"; got 30")]
    [InlineData("max_connections = 0",
        "edge.toml:2: key 'max_connections' in [limits] must be an integer from 1 to 1000000; got 0")]
    [InlineData("max_connections = \"many\"",
        "edge.toml:2: key 'max_connections' in [limits] must be an integer from 1 to 1000000; got \"many\"")]
    public void Loader_BadLimitValue_NamesLineAndRange(string line, string expected)
    {
        Assert.Equal(expected, RejectOne("[limits]\n" + line + "\n"));
    }

    [Fact]
    public void Loader_MisspelledTimeoutKey_Rejected()
    {
        var message = RejectOne("[limits]\nkeepalive_timeout = \"5s\"\n");

        Assert.StartsWith("edge.toml:2: ", message, StringComparison.Ordinal);
        Assert.Contains("keepalive_timeout", message, StringComparison.Ordinal);
        Assert.Contains("keep_alive_timeout", message, StringComparison.Ordinal);
    }
}
