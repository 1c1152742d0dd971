using Gatehouse.Balancer.Configuration;
using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// A configuration with a `peers` section and `stick-table ... peers` is accepted by both HAProxy (`haproxy -c`
/// with `-L` naming the local peer) and Gatehouse, and Gatehouse's `gatehouse-redis` line is its own keyword.
/// </summary>
public sealed class PeersConfigCheckTests
{
    private const string PeersSection = """
        peers mesh
            peer lb1 127.0.0.1:10000
            peer lb2 127.0.0.1:10001
        """;

    private const string Proxies = """
        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:8080
            http-request track-sc0 src table be
            http-request deny deny_status 429 if { sc_http_req_rate(0) gt 100 }
            http-request deny deny_status 403 if { sc_get_gpt0(0) gt 0 }
            default_backend be
        backend be
            stick-table type ip size 100k expire 30s peers mesh store http_req_rate(10s),gpt0,gpc0
            server s1 127.0.0.1:9
        """;

    [Fact]
    public void PeersConfig_BothCheck_Accept()
    {
        HaproxyBinary.Require();
        var text = PeersSection + "\n" + Proxies + "\n";

        var (exitCode, output) = CheckWithHaproxy(text);
        var config = BalancerConfigLoader.Parse(text, "peers.cfg", new Dictionary<string, string>());

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Removing incomplete section", output, StringComparison.Ordinal);
        var table = Assert.Single(config.StickTables);
        Assert.Equal("mesh", table.Peers);
        Assert.Null(table.Sharing);
    }

    [Fact]
    public void GatehouseRedisKeyword_HaproxyRejects_GatehouseShares()
    {
        HaproxyBinary.Require();
        var text = PeersSection + "\n    gatehouse-redis 127.0.0.1:6379\n" + Proxies + "\n";

        var (exitCode, output) = CheckWithHaproxy(text);
        var config = BalancerConfigLoader.Parse(text, "peers.cfg", new Dictionary<string, string>());

        Assert.NotEqual(0, exitCode);
        Assert.Contains("gatehouse-redis", output, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(config.StickTables).Sharing);
    }

    private static (int ExitCode, string Output) CheckWithHaproxy(string config)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-peers-check-").FullName;
        try
        {
            var path = Path.Combine(directory, "haproxy.cfg");
            File.WriteAllText(path, config);
            return HaproxyBinary.Run(["-c", "-f", path, "-L", "lb1"], new Dictionary<string, string>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
