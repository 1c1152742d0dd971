using Gatehouse.Balancer.Stats;
using Gatehouse.Balancer.Tests.Runtime;
using Gatehouse.Balancer.Tests.RuntimeApi;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Health;

/// <summary>
/// Passive health with real origins: traffic errors move a checked server's health as `on-error` says, and only
/// active checks bring it back. Checks use `inter 60s` so that, within a test, only the first check (at start)
/// and checks that passive health asks for run.
/// </summary>
public sealed class PassiveHealthTests
{
    private const int Up = 2;
    private const int Down = 0;

    private static string Config(string socket, string watched, string others) => $"""
        global
            stats socket {socket} mode 600 level admin
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            balance roundrobin
            option httpchk GET {PassiveOrigin.HealthPath}
            {watched}
            {others}
        """;

    private static string NewSocketPath() => Path.Combine(Path.GetTempPath(), $"gh-passive-{Guid.NewGuid():N}.sock");

    [Fact]
    public async Task Layer7MarkDown_ErrorStatuses_DownThenUpAfterRise()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s fastinter 2s rise 2 observe layer7 error-limit 3 on-error mark-down";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        bad.TrafficStatus = 500;

        await SendUntilAsync(balancer, () => bad.Traffic >= 3);
        await WaitForStateAsync(socket, "bad", Down);
        var checksAtDown = bad.Checks;

        Assert.Equal(3, bad.Traffic);
        var answeredBy = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await balancer.Client.GetAsync("/after");
            answeredBy.Add(await response.Content.ReadAsStringAsync());
        }

        // The checks that bring bad back run 2 s apart; only a stalled machine lets both run before this point.
        if (bad.Checks < checksAtDown + 2)
        {
            Assert.All(answeredBy, name => Assert.Equal("good", name));
        }

        await WaitForStateAsync(socket, "bad", Up);
        Assert.True(bad.Checks >= checksAtDown + 2, $"bad came back UP after {bad.Checks - checksAtDown} passed checks, expected rise 2");
        Assert.Equal("1", await StatAsync(socket, "bad", "hanafail"));
    }

    [Fact]
    public async Task Layer4_ConnectionsRefused_DownBeforeChecksWould()
    {
        var socket = NewSocketPath();
        await using var watched = await PassiveOrigin.StartAsync("watched");
        await using var control = await PassiveOrigin.StartAsync("control");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watchedLine = $"server watched {watched.Address} check inter 60s fall 3 observe layer4 error-limit 2 on-error mark-down";
        var others = $"server control {control.Address} check inter 60s fall 3\n    server good {good.Address} check inter 60s";
        await using var balancer = await StartAsync(Config(socket, watchedLine, others));
        await WaitForFirstChecksAsync(watched, control, good);
        await watched.StopAsync();
        await control.StopAsync();

        await SendUntilAsync(balancer, () => false, stopWhen: async () => (await StateAsync(socket, "watched")).OpState == Down);

        // control has the same check settings and got the same refused connections, but no `observe`.
        Assert.Equal((Down, 0), await StateAsync(socket, "watched"));
        Assert.Equal((Up, 4), await StateAsync(socket, "control"));
    }

    [Fact]
    public async Task Layer4_ErrorStatuses_NotCounted()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s observe layer4 error-limit 1 on-error mark-down";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        bad.TrafficStatus = 500;

        await SendUntilAsync(balancer, () => bad.Traffic >= 5);

        Assert.Equal((Up, 4), await StateAsync(socket, "bad"));
        Assert.Equal("0", await StatAsync(socket, "bad", "hanafail"));
    }

    [Fact]
    public async Task Layer7_SuccessBetweenErrors_ResetsCount()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s observe layer7 error-limit 3 on-error mark-down";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);

        bad.TrafficStatus = 503;
        await SendUntilAsync(balancer, () => bad.Traffic >= 2);
        bad.TrafficStatus = 200;
        await SendUntilAsync(balancer, () => bad.Traffic >= 3);
        bad.TrafficStatus = 503;
        await SendUntilAsync(balancer, () => bad.Traffic >= 5);

        Assert.Equal((Up, 4), await StateAsync(socket, "bad"));
        await SendUntilAsync(balancer, () => bad.Traffic >= 6);
        await WaitForStateAsync(socket, "bad", Down);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(404)]
    public async Task Layer7_StatusHaproxyCallsValid_NotCounted(int status)
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s observe layer7 error-limit 1 on-error mark-down";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        bad.TrafficStatus = status;

        await SendUntilAsync(balancer, () => bad.Traffic >= 3);

        Assert.Equal((Up, 4), await StateAsync(socket, "bad"));
    }

    [Fact]
    public async Task FailCheck_EachErrorLimit_CountsOneFailedCheck()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s fastinter 60s rise 2 fall 3 observe layer7 error-limit 2 on-error fail-check";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        bad.TrafficStatus = 500;

        // Health runs from 0 to rise + fall - 1 = 4; UP at 2 or above.
        await SendUntilAsync(balancer, () => bad.Traffic >= 2);
        await WaitForStateAsync(socket, "bad", Up, health: 3);
        await SendUntilAsync(balancer, () => bad.Traffic >= 4);
        await WaitForStateAsync(socket, "bad", Up, health: 2);
        await SendUntilAsync(balancer, () => bad.Traffic >= 6);
        await WaitForStateAsync(socket, "bad", Down, health: 0);

        Assert.Equal(6, bad.Traffic);
        Assert.Equal("3", await StatAsync(socket, "bad", "hanafail"));
    }

    [Fact]
    public async Task SuddenDeath_FirstLimit_LeavesOneCheckToDown()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s fastinter 60s rise 2 fall 3 observe layer7 error-limit 1 on-error sudden-death";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        bad.TrafficStatus = 502;

        await SendUntilAsync(balancer, () => bad.Traffic >= 1);
        await WaitForStateAsync(socket, "bad", Up, health: 2);
        await SendUntilAsync(balancer, () => bad.Traffic >= 2);
        await WaitForStateAsync(socket, "bad", Down, health: 0);
    }

    [Fact]
    public async Task FastInter_ErrorLimit_RunsCheckSoonerWithoutHealthChange()
    {
        var socket = NewSocketPath();
        await using var bad = await PassiveOrigin.StartAsync("bad");
        await using var good = await PassiveOrigin.StartAsync("good");
        var watched = $"server bad {bad.Address} check inter 60s fastinter 100ms observe layer7 error-limit 2 on-error fastinter";
        await using var balancer = await StartAsync(Config(socket, watched, $"server good {good.Address} check inter 60s"));
        await WaitForFirstChecksAsync(bad, good);
        var checksBefore = bad.Checks;
        bad.TrafficStatus = 500;

        await SendUntilAsync(balancer, () => bad.Traffic >= 2);

        // Without the action the next check would come 60 s after the first.
        await PollAsync(() => Task.FromResult(bad.Checks > checksBefore), "bad got no check after on-error fastinter");
        Assert.Equal((Up, 4), await StateAsync(socket, "bad"));
        Assert.Equal("1", await StatAsync(socket, "bad", "hanafail"));
    }

    private static Task WaitForFirstChecksAsync(params PassiveOrigin[] origins) =>
        PollAsync(() => Task.FromResult(origins.All(origin => origin.Checks >= 1)), "the first checks did not arrive");

    /// <summary>Sends requests one at a time until <paramref name="done"/> or <paramref name="stopWhen"/> is true, at most 200.</summary>
    private static async Task SendUntilAsync(BalancerTestHost balancer, Func<bool> done, Func<Task<bool>>? stopWhen = null)
    {
        for (var i = 0; i < 200; i++)
        {
            if (done() || (stopWhen is not null && await stopWhen()))
            {
                return;
            }

            using var response = await balancer.Client.GetAsync($"/traffic/{i}");
        }

        Assert.Fail("200 requests did not reach the expected state");
    }

    private static Task WaitForStateAsync(string socket, string server, int opState, int? health = null) =>
        PollAsync(
            async () => await StateAsync(socket, server) is var state && state.OpState == opState && (health is null || state.Health == health),
            $"server {server} did not reach op state {opState}" + (health is null ? "" : $" with health {health}"));

    private static async Task PollAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure + " within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Returns srv_op_state and srv_check_health from `show servers state be`.</summary>
    private static async Task<(int OpState, int Health)> StateAsync(string socket, string server)
    {
        var output = await RuntimeApiClient.SendAsync(socket, "show servers state be");
        var fields = output.Split('\n').Select(line => line.Split(' ')).Single(fields => fields.Length > 12 && fields[3] == server);
        return (int.Parse(fields[5]), int.Parse(fields[12]));
    }

    private static async Task<string> StatAsync(string socket, string server, string column)
    {
        var output = await RuntimeApiClient.SendAsync(socket, "show stat");
        var index = Array.IndexOf(StatsCsv.Header.TrimStart('#', ' ').Split(','), column);
        var row = output.Split('\n').Single(line => line.StartsWith($"be,{server},", StringComparison.Ordinal));
        return row.Split(',')[index];
    }
}
