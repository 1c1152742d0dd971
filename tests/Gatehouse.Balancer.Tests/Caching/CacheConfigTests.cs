using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Caching;

public sealed class CacheConfigTests
{
    private const string Proxies =
        "frontend fe\n    bind 127.0.0.1:0\n    http-request cache-use small\n    http-response cache-store small\n    default_backend be\n"
        + "backend be\n    server s1 127.0.0.1:9000\n";

    private static IReadOnlyList<string> Errors(string text) =>
        Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>())).Errors;

    [Fact]
    public void CacheSection_Parsed()
    {
        var config = BalancerConfigLoader.Parse(
            Proxies + "cache small\n    total-max-size 2\n    max-object-size 10000\n    max-age 30\n    process-vary off\n",
            "t.cfg",
            new Dictionary<string, string>());

        var settings = Assert.Single(config.Caches).Value.Settings;
        Assert.Equal(2L * 1024 * 1024, settings.TotalMaxBytes);
        Assert.Equal(10000, settings.MaxObjectBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.MaxAge);
    }

    [Fact]
    public void CacheSection_Defaults_FollowTotalSize()
    {
        var config = BalancerConfigLoader.Parse(Proxies + "cache small\n    total-max-size 1\n", "t.cfg", new Dictionary<string, string>());

        var settings = config.Caches["small"].Settings;
        Assert.Equal(4096, settings.MaxObjectBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.MaxAge);
    }

    [Theory]
    [InlineData("cache small\n    max-age 10\n", "t.cfg:8: cache 'small' needs 'total-max-size', the cache size in megabytes")]
    [InlineData("cache small\n    total-max-size 0\n", "t.cfg:9: 'total-max-size' expects a size in megabytes from 1 to 4095, got '0'")]
    [InlineData("cache small\n    total-max-size 1\n    max-object-size 600000\n", "t.cfg:8: cache 'small': 'max-object-size' 600000 is above half of 'total-max-size' (524288 bytes)")]
    [InlineData("cache small\n    total-max-size 1\n    max-agee 5\n", "t.cfg:10: unknown keyword 'max-agee' in 'cache' section; expected one of total-max-size, max-object-size, max-age, process-vary; did you mean 'max-age'?")]
    [InlineData("cache big\n    total-max-size 1\n", "t.cfg:3: 'http-request cache-use' names cache 'small', which is not defined; add a 'cache small' section")]
    [InlineData("cache small\n    total-max-size 1\ncache small\n    total-max-size 1\n", "t.cfg:10: cache 'small' is already defined at t.cfg:8")]
    public void CacheSection_Invalid_Reported(string section, string expected)
    {
        Assert.Contains(expected, Errors(Proxies + section));
    }
}
