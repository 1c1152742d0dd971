using System.Net;
using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Stats;
using Gatehouse.Balancer.Tests.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.RuntimeApi;

public sealed class ServerCommandTests
{
    private const string StateHeader =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change "
        + "srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn "
        + "srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private static string Config(string socket, EchoOrigin one, EchoOrigin two) => $$"""
        global
            stats socket {{socket}} mode 600 level admin
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            server s1 {{one.Address}}
            server s2 {{two.Address}} weight 3
        """;

    private static string NewSocketPath() => Path.Combine(Path.GetTempPath(), $"gh-srv-{Guid.NewGuid():N}.sock");

    [Fact]
    public async Task ShowBackend_ListsBackends()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        Assert.Equal("# name\nbe\n\n", await RuntimeApiClient.SendAsync(path, "show backend"));
    }

    [Fact]
    public async Task ShowStat_DisabledServer_MatchesStatsCsv()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));
        await RuntimeApiClient.SendAsync(path, "disable server be/s1");

        var output = await RuntimeApiClient.SendAsync(path, "show stat");

        Assert.StartsWith(StatsCsv.Header + "\n", output, StringComparison.Ordinal);
        Assert.Contains("\nbe,s1,", output, StringComparison.Ordinal);
        Assert.Matches(@"\nbe,s1,([^,\n]*,){15}MAINT,", output);
        Assert.Matches(@"\nbe,s2,([^,\n]*,){15}no check,3,", output);
    }

    [Fact]
    public async Task ShowServersState_PrintsVersionOneFormat()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        var output = await RuntimeApiClient.SendAsync(path, "show servers state be");

        Assert.StartsWith(StateHeader, output, StringComparison.Ordinal);
        Assert.Matches($@"\n3 be 1 s1 127\.0\.0\.1 2 0 1 1 \d+ 1 0 2 0 0 0 0 - {one.Port} - 0 0 - - 0\n", output);
        Assert.Matches($@"\n3 be 2 s2 127\.0\.0\.1 2 0 3 3 \d+ 1 0 2 0 0 0 0 - {two.Port} - 0 0 - - 0\n\n$", output);
    }

    [Theory]
    [InlineData("show servers state nope", "Can't find backend.\n\n")]
    [InlineData("disable server be/zz", "No such server.\n\n")]
    [InlineData("disable server nope/s1", "No such backend.\n\n")]
    [InlineData("disable server be", "Require 'backend/server'.\n\n")]
    [InlineData("set server be/s1 state bogus", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n")]
    [InlineData("set server be/s1 weight 300", "Absolute weight can only be between 0 and 256 inclusive.\n\n")]
    [InlineData("set server be/s1 weight abc", "Empty weight string empty or preceded by garbage\n")]
    [InlineData("set server be/s1 weight", "Require <weight> or <weight%>.\n\n")]
    public async Task ServerCommand_InvalidArguments_ReturnsHaproxyMessage(string line, string expected)
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        Assert.Equal(expected, await RuntimeApiClient.SendAsync(path, line));
    }

    [Fact]
    public async Task DisableServer_StopsTraffic_EnableRestores()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        Assert.Equal("\n", await RuntimeApiClient.SendAsync(path, "disable server be/s2"));
        var whileDisabled = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await balancer.SendAsync(Get("/"));
            whileDisabled.Add((await EchoReply.ReadAsync(response)).Origin);
        }

        var state = await RuntimeApiClient.SendAsync(path, "show servers state be");
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(path, "enable server be/s2"));

        Assert.All(whileDisabled, origin => Assert.Equal("one", origin));
        Assert.Matches(@"\n3 be 2 s2 127\.0\.0\.1 0 1 3 3 ", state);
        Assert.Equal(ServerAdminState.Ready, balancer.Host.State.Backends["be"].Servers[1].AdminState);
    }

    [Fact]
    public async Task SetWeight_Relative_UsesInitialWeight()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        Assert.Equal("\n", await RuntimeApiClient.SendAsync(path, "set server be/s2 weight 50%"));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(path, "set server be/s1 weight 0"));
        using var response = await balancer.SendAsync(Get("/"));

        Assert.Equal(1, balancer.Host.State.Backends["be"].Servers[1].Weight);
        Assert.Equal("two", (await EchoReply.ReadAsync(response)).Origin);
    }

    [Fact]
    public async Task SetStateMaint_ThenDrain_ShowsAdminFlags()
    {
        var path = NewSocketPath();
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(path, one, two));

        await RuntimeApiClient.SendAsync(path, "set server be/s1 state drain");
        var drained = await RuntimeApiClient.SendAsync(path, "show servers state be");
        await RuntimeApiClient.SendAsync(path, "set server be/s1 state maint");
        var maintenance = await RuntimeApiClient.SendAsync(path, "show servers state be");

        Assert.Matches(@"\n3 be 1 s1 127\.0\.0\.1 2 8 1 1 \d+ 1 0 2 ", drained);
        Assert.Matches(@"\n3 be 1 s1 127\.0\.0\.1 0 1 1 1 \d+ 1 0 0 ", maintenance);
    }
}
