using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Health;

public sealed class PassiveHealthConfigTests
{
    private static string WithServer(string options, string mode = "http") =>
        $"defaults\n    mode {mode}\nfrontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000 {options}\n";

    private static ServerConfig Server(string options) =>
        BalancerConfigLoader.Parse(WithServer(options), "t.cfg", new Dictionary<string, string>()).Backends[0].Servers[0];

    private static IReadOnlyList<string> Errors(string options, string mode = "http") =>
        Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(WithServer(options, mode), "t.cfg", new Dictionary<string, string>())).Errors;

    [Theory]
    [InlineData("check observe layer8", "t.cfg:7: 'server s1' option 'observe' expects one of none, layer4, layer7, got 'layer8'; for example 'observe layer4'")]
    [InlineData("check observe", "t.cfg:7: 'server s1' option 'observe' expects one of none, layer4, layer7, got 'nothing'; for example 'observe layer4'")]
    [InlineData("check error-limit 0", "t.cfg:7: 'server s1' option 'error-limit' expects a count of consecutive errors from 1 to 1000000, got '0'; for example 'error-limit 10'")]
    [InlineData("check error-limit -1", "t.cfg:7: 'server s1' option 'error-limit' expects a count of consecutive errors from 1 to 1000000, got '-1'; for example 'error-limit 10'")]
    [InlineData("check error-limit 1000001", "t.cfg:7: 'server s1' option 'error-limit' expects a count of consecutive errors from 1 to 1000000, got '1000001'; for example 'error-limit 10'")]
    [InlineData("check error-limit", "t.cfg:7: 'server s1' option 'error-limit' expects a count of consecutive errors from 1 to 1000000, got 'nothing'; for example 'error-limit 10'")]
    [InlineData("check on-error mark-dwn", "t.cfg:7: 'server s1' option 'on-error' expects one of fastinter, fail-check, sudden-death, mark-down, got 'mark-dwn'; did you mean 'mark-down'?")]
    [InlineData("check on-error", "t.cfg:7: 'server s1' option 'on-error' expects one of fastinter, fail-check, sudden-death, mark-down, got 'nothing'")]
    [InlineData("check on-marked-down shutdown-sessions", "t.cfg:7: 'server s1' option 'on-marked-down' 'shutdown-sessions' is not supported yet, because Gatehouse does not close a server's open connections when its state changes; remove 'on-marked-down shutdown-sessions'")]
    [InlineData("check on-marked-down kill", "t.cfg:7: 'server s1' option 'on-marked-down' expects 'shutdown-sessions', got 'kill'; it is not supported yet either, so remove the option")]
    [InlineData("check on-marked-up shutdown-backup-sessions", "t.cfg:7: 'server s1' option 'on-marked-up' 'shutdown-backup-sessions' is not supported yet, because Gatehouse does not close a server's open connections when its state changes; remove 'on-marked-up shutdown-backup-sessions'")]
    [InlineData("check on-marked-up", "t.cfg:7: 'server s1' option 'on-marked-up' expects 'shutdown-backup-sessions', got 'nothing'; it is not supported yet either, so remove the option")]
    public void BadValue_Rejected_WithMessage(string options, string expected)
    {
        Assert.Equal([expected], Errors(options));
    }

    [Fact]
    public void ObserveWithoutCheck_Rejected()
    {
        Assert.Equal(
            ["t.cfg:7: 'server s1' option 'observe layer7' needs 'check' on the same server, because traffic errors move the health check counter; add 'check' or remove 'observe'"],
            Errors("observe layer7"));
    }

    [Fact]
    public void Layer7InTcpBackend_Rejected()
    {
        Assert.Equal(
            ["t.cfg:7: 'server s1' option 'observe layer7' is only valid in 'mode http' backends, and backend 'be' is in 'mode tcp'; use 'observe layer4'"],
            Errors("check observe layer7", "tcp"));
    }

    [Fact]
    public void ObserveNoneWithoutCheck_Accepted()
    {
        Assert.Equal(ObserveMode.None, Server("observe none").PassiveHealth?.Mode);
    }

    [Fact]
    public void Observe_Defaults_MatchHaproxy()
    {
        var passive = Server("check observe layer4").PassiveHealth;

        Assert.NotNull(passive);
        Assert.Equal(ObserveMode.Layer4, passive.Mode);
        Assert.Equal(10, passive.ErrorLimit);
        Assert.Equal(OnErrorAction.FailCheck, passive.OnError);
    }

    [Theory]
    [InlineData("fastinter", OnErrorAction.FastInterval)]
    [InlineData("fail-check", OnErrorAction.FailCheck)]
    [InlineData("sudden-death", OnErrorAction.SuddenDeath)]
    [InlineData("mark-down", OnErrorAction.MarkDown)]
    public void OnError_Parsed(string word, OnErrorAction expected)
    {
        var passive = Server($"check observe layer7 error-limit 3 on-error {word}").PassiveHealth;

        Assert.NotNull(passive);
        Assert.Equal(ObserveMode.Layer7, passive.Mode);
        Assert.Equal(3, passive.ErrorLimit);
        Assert.Equal(expected, passive.OnError);
    }

    [Fact]
    public void NoPassiveOption_SettingsNull()
    {
        Assert.Null(Server("check").PassiveHealth);
    }
}
