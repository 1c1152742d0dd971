using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Peers;

public sealed class PeersConfigTests
{
    private static string Config(string peers, string tableOptions = "peers mesh") => $"""
        peers mesh
        {peers}
        backend be
            stick-table type ip size 1k expire 10s {tableOptions} store http_req_rate(10s),gpt0
            server s1 127.0.0.1:9
        """;

    private static BalancerConfig Parse(string text) => BalancerConfigLoader.Parse(text, "p.cfg", new Dictionary<string, string>());

    private static string Errors(string text) => Assert.Throws<ConfigException>(() => Parse(text)).Message;

    [Fact]
    public void PeersSection_WithRedis_TableShared()
    {
        var config = Parse(Config("    peer a 10.0.0.1:10000\n    peer b 10.0.0.2:10000\n    gatehouse-redis 127.0.0.1:6379 key-prefix lb:"));

        var table = Assert.Single(config.StickTables);
        Assert.Equal("mesh", table.Peers);
        Assert.NotNull(table.Sharing);
        Assert.Equal(["127.0.0.1:6379"], table.Sharing!.Redis!.Endpoints);
        Assert.Equal("lb:", table.Sharing.Redis.KeyPrefix);
        Assert.Equal(2, config.Peers["mesh"].Peers.Count);
    }

    [Fact]
    public void PeersSection_WithoutRedis_TableStaysLocal()
    {
        var config = Parse(Config("    peer a 10.0.0.1:10000"));

        var table = Assert.Single(config.StickTables);
        Assert.Equal("mesh", table.Peers);
        Assert.Null(table.Sharing);
    }

    [Fact]
    public void PeersSection_Disabled_TableStaysLocal()
    {
        var config = Parse(Config("    disabled\n    gatehouse-redis 127.0.0.1:6379"));

        Assert.Null(Assert.Single(config.StickTables).Sharing);
    }

    [Fact]
    public void StickTable_WithoutPeers_StaysLocal()
    {
        var config = Parse(Config("    gatehouse-redis 127.0.0.1:6379", tableOptions: ""));

        var table = Assert.Single(config.StickTables);
        Assert.Null(table.Peers);
        Assert.Null(table.Sharing);
    }

    [Fact]
    public void StickTable_UnknownPeers_ErrorNamesLine()
    {
        var message = Errors(Config("    peer a 10.0.0.1:10000", tableOptions: "peers mseh"));

        Assert.Contains("p.cfg:4: 'stick-table peers': peers section 'mseh' is not defined; add a 'peers mseh' section or remove the option", message);
        Assert.Contains("did you mean 'mesh'", message);
    }

    [Fact]
    public void StickTable_PeersWithoutName_Error()
    {
        var message = Errors("backend be\n    stick-table type ip size 1k peers\n    server s1 127.0.0.1:9\n");

        Assert.Contains("p.cfg:2: 'stick-table peers' expects the name of a 'peers' section", message);
    }

    [Theory]
    [InlineData("    peer a", "p.cfg:2: 'peer' expects 'peer NAME ADDRESS:PORT'")]
    [InlineData("    peer a 10.0.0.1", "p.cfg:2: 'peer a' expects HOST:PORT, got '10.0.0.1'; the port is required")]
    [InlineData("    peer a 10.0.0.1:0", "p.cfg:2: 'peer a' expects a port from 1 to 65535 in '10.0.0.1:0'")]
    [InlineData("    peer a 10.0.0.1:1\n    peer a 10.0.0.2:1", "p.cfg:3: 'peer': peer 'a' is already defined in peers section 'mesh'")]
    [InlineData("    bind", "p.cfg:2: 'bind' in a 'peers' section expects ADDRESS:PORT")]
    [InlineData("    pear a 10.0.0.1:1", "p.cfg:2: unknown keyword 'pear' in 'peers' section 'mesh'")]
    [InlineData("    table t type ip size 1k", "p.cfg:2: 'table' is not supported yet in a 'peers' section")]
    [InlineData("    gatehouse-redis", "p.cfg:2: 'gatehouse-redis' expects HOST:PORT[,HOST:PORT...]")]
    [InlineData("    gatehouse-redis localhost", "p.cfg:2: 'gatehouse-redis': redis endpoints: 'localhost' is not a valid host:port.")]
    [InlineData("    gatehouse-redis 127.0.0.1:6379 prefix x", "p.cfg:2: 'gatehouse-redis': unknown option 'prefix'; expected key-prefix, user or password-env")]
    [InlineData("    gatehouse-redis 127.0.0.1:6379 key-prefix", "p.cfg:2: 'gatehouse-redis key-prefix' expects a value")]
    [InlineData("    gatehouse-redis 127.0.0.1:6379 password-env GATEHOUSE_PEERS_TEST_UNSET", "p.cfg:2: 'gatehouse-redis password-env': environment variable 'GATEHOUSE_PEERS_TEST_UNSET' is not set or empty")]
    [InlineData("    gatehouse-redis 127.0.0.1:1\n    gatehouse-redis 127.0.0.1:2", "p.cfg:3: 'gatehouse-redis': peers section 'mesh' already names a Redis at p.cfg:2")]
    public void PeersSection_InvalidLine_ErrorNamesLine(string lines, string expected)
    {
        var message = Errors(Config(lines));

        Assert.Contains(expected, message);
    }

    [Fact]
    public void PeersSection_DefinedTwice_Error()
    {
        var message = Errors("peers mesh\n    peer a 10.0.0.1:1\npeers mesh\n    peer b 10.0.0.2:1\n");

        Assert.Contains("p.cfg:3: peers section 'mesh' is already defined at p.cfg:1", message);
    }

    [Fact]
    public void PeersSection_PasswordEnv_ReadsVariable()
    {
        var variable = "GATEHOUSE_PEERS_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "s3cret");
        try
        {
            var config = Parse(Config($"    gatehouse-redis 127.0.0.1:6379 password-env {variable}"));

            var redis = Assert.Single(config.StickTables).Sharing!.Redis!;
            Assert.Equal("s3cret", redis.Password);
            Assert.DoesNotContain("s3cret", redis.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void PeersSection_HaproxyKeywords_Accepted()
    {
        var config = Parse(Config("    bind :10000\n    default-bind ssl\n    default-server ssl\n    server a 10.0.0.1:10000\n    server b\n    enable"));

        Assert.Equal(["a", "b"], config.Peers["mesh"].Peers.Keys.Order());
    }
}
