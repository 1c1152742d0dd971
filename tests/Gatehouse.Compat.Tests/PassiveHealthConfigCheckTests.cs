using Gatehouse.Balancer.Configuration;
using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// Passive health options checked by `haproxy -c` and by Gatehouse on the same file. Both accept the options on a
/// checked server. On a server without `check`, HAProxy 2.6 accepts `observe` without a message and it does
/// nothing, while Gatehouse rejects it (a known difference listed in docs/haproxy-compatibility.md).
/// </summary>
public sealed class PassiveHealthConfigCheckTests
{
    private static string Config(string mode, string serverOptions) => $"""
        defaults
            mode {mode}
            timeout connect 5s
            timeout client 30s
            timeout server 30s
        frontend fe
            bind 127.0.0.1:8080
            default_backend be
        backend be
            server s1 127.0.0.1:9 {serverOptions}

        """;

    [Fact]
    public void PassiveOptions_OnCheckedServer_BothAccept()
    {
        HaproxyBinary.Require();
        var text = Config("http", "check observe layer7 error-limit 5 on-error sudden-death");

        var (exitCode, output) = CheckWithHaproxy(text);
        var server = BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()).Backends[0].Servers[0];

        Assert.True(exitCode == 0, output);
        Assert.Equal(new PassiveHealthSettings(ObserveMode.Layer7, 5, OnErrorAction.SuddenDeath), server.PassiveHealth);
    }

    [Fact]
    public void ObserveWithoutCheck_HaproxyAccepts_GatehouseRejects()
    {
        HaproxyBinary.Require();
        var text = Config("http", "observe layer4");

        var (exitCode, output) = CheckWithHaproxy(text);
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("observe", output, StringComparison.Ordinal);
        Assert.Contains(exception.Errors, error => error.Contains("'observe layer4' needs 'check'", StringComparison.Ordinal));
    }

    [Fact]
    public void Layer7InTcpMode_OnlyGatehouseRejects()
    {
        HaproxyBinary.Require();
        var text = Config("tcp", "check observe layer7");

        var (exitCode, output) = CheckWithHaproxy(text);
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.True(exitCode == 0, output);
        Assert.Contains("'layer7' can only be used in http proxies", output, StringComparison.Ordinal);
        Assert.Contains(exception.Errors, error => error.Contains("'observe layer7' is only valid in 'mode http' backends", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("check observe layer8", "'observe'")]
    [InlineData("check error-limit 0", "error-limit")]
    [InlineData("check on-error explode", "'on-error'")]
    [InlineData("check on-marked-down explode", "'on-marked-down'")]
    public void BadValue_BothReject(string serverOptions, string keyword)
    {
        HaproxyBinary.Require();
        var text = Config("http", serverOptions);

        var (exitCode, output) = CheckWithHaproxy(text);
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, "t.cfg", new Dictionary<string, string>()));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(keyword, output, StringComparison.Ordinal);
        Assert.Contains(exception.Errors, error => error.StartsWith("t.cfg:10: 'server s1' option ", StringComparison.Ordinal));
    }

    private static (int ExitCode, string Output) CheckWithHaproxy(string config)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-passive-check-").FullName;
        try
        {
            var path = Path.Combine(directory, "haproxy.cfg");
            File.WriteAllText(path, config);
            return HaproxyBinary.Run(["-c", "-f", path], new Dictionary<string, string>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
