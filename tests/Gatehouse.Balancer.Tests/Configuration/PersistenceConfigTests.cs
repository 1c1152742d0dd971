using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class PersistenceConfigTests
{
    private static BalancerConfig Parse(string backendLines, string frontendLines = "") =>
        BalancerConfigLoader.Parse(
            $"frontend fe\n    bind 127.0.0.1:0\n{frontendLines}\n    default_backend be\nbackend be\n{backendLines}\n",
            "t.cfg",
            new Dictionary<string, string>());

    private static IReadOnlyList<string> Errors(string backendLines, string frontendLines = "") =>
        Assert.Throws<ConfigException>(() => Parse(backendLines, frontendLines)).Errors;

    [Fact]
    public void Cookie_AllOptions_Parsed()
    {
        var config = Parse("    cookie SRV insert indirect nocache httponly secure domain .a.test domain .b.test attr SameSite=Lax\n    server s1 127.0.0.1:9000 cookie c1");

        var cookie = config.Backends[0].Settings.Cookie!;
        Assert.Equal("SRV", cookie.Name);
        Assert.Equal(CookieMode.Insert, cookie.Mode);
        Assert.True(cookie.Indirect);
        Assert.True(cookie.NoCache);
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal([".a.test", ".b.test"], cookie.Domains);
        Assert.Equal(["SameSite=Lax"], cookie.Attributes);
        Assert.Equal("c1", config.Backends[0].Servers[0].Cookie);
    }

    [Fact]
    public void Cookie_WithoutMode_IsRewrite()
    {
        var config = Parse("    cookie SRV\n    server s1 127.0.0.1:9000");

        Assert.Equal(CookieMode.Rewrite, config.Backends[0].Settings.Cookie!.Mode);
        Assert.Null(config.Backends[0].Servers[0].Cookie);
    }

    [Fact]
    public void Cookie_InDefaults_Inherited()
    {
        var config = BalancerConfigLoader.Parse(
            "defaults\n    cookie SRV prefix\nbackend be\n    server s1 127.0.0.1:9000\n", "t.cfg", new Dictionary<string, string>());

        Assert.Equal(CookieMode.Prefix, config.Backends[0].Settings.Cookie!.Mode);
    }

    [Theory]
    [InlineData("    cookie", "t.cfg:6: 'cookie' expects a cookie name and a mode, such as 'cookie SERVERID insert indirect nocache'")]
    [InlineData("    cookie SRV insert prefix", "t.cfg:6: 'cookie' accepts one of insert, rewrite or prefix, got 'prefix' after another")]
    [InlineData("    cookie SRV insert postonly", "t.cfg:6: 'cookie' option 'postonly' is not supported yet")]
    [InlineData("    cookie SRV insert nocach", "t.cfg:6: 'cookie' has unknown option 'nocach'; expected one of insert, rewrite, prefix, indirect, nocache, preserve, httponly, secure, domain, attr, maxidle, maxlife; did you mean 'nocache'?")]
    [InlineData("    cookie SRV rewrite preserve", "t.cfg:6: 'cookie' option 'preserve' needs 'insert' or 'indirect' as well")]
    [InlineData("    cookie SRV insert domain", "t.cfg:6: 'cookie' option 'domain' expects a value")]
    [InlineData("    server s1 127.0.0.1:9000 cookie", "t.cfg:6: 'server s1' option 'cookie' expects a value, such as 'cookie s1'")]
    public void Cookie_Invalid_Reported(string line, string expected)
    {
        Assert.Contains(expected, Errors(line));
    }

    [Fact]
    public void Cookie_InFrontend_Rejected()
    {
        Assert.Contains(
            "t.cfg:3: 'cookie' is not allowed in a 'frontend' section; it belongs in defaults, backend",
            Errors("    server s1 127.0.0.1:9000", "    cookie SRV insert"));
    }

    [Fact]
    public void Compression_Lines_Accumulate()
    {
        var config = Parse(
            "    server s1 127.0.0.1:9000",
            "    compression algo gzip\n    compression algo deflate\n    compression type text/html text/plain\n    compression offload");

        var compression = config.Frontends[0].Settings.Compression!;
        Assert.Equal([CompressionAlgorithm.Gzip, CompressionAlgorithm.Deflate], compression.Algorithms);
        Assert.Equal(["text/html", "text/plain"], compression.Types);
        Assert.True(compression.Offload);
    }

    [Theory]
    [InlineData("compression algo brotli", "t.cfg:3: 'compression algo' has unknown algorithm 'brotli'; expected one of identity, gzip, deflate, raw-deflate")]
    [InlineData("compression algo", "t.cfg:3: 'compression algo' expects at least one value")]
    [InlineData("compression offload now", "t.cfg:3: 'compression offload' takes no arguments, got 'now'")]
    [InlineData("compression direction both", "t.cfg:3: 'compression direction' is not supported yet")]
    [InlineData("compression tpye text/html", "t.cfg:3: 'compression' expects algo, type or offload, got 'tpye'; did you mean 'type'?")]
    public void Compression_Invalid_Reported(string line, string expected)
    {
        Assert.Contains(expected, Errors("    server s1 127.0.0.1:9000", "    " + line));
    }
}
