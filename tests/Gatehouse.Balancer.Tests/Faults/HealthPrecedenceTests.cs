using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Faults;

/// <summary>
/// Active checks decide whether a server is UP while traffic runs. Without `observe` the outcome of traffic
/// never changes a server's state, and with it traffic can only lower health: a server whose traffic succeeds
/// but whose checks fail stays DOWN, and one whose checks pass again comes back.
/// </summary>
public sealed class HealthPrecedenceTests
{
    // Check cycles to watch while the server is DOWN. At `downinter 50ms` that is about a second.
    private const int CyclesWatched = 20;

    // The good server's checks are slower and tolerate more failures, so a
    // loaded machine cannot mark it down and turn the watched window into 503s.
    private static string Config(ControlledOrigin good, ControlledOrigin flaky) => $"""
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            balance roundrobin
            cookie SRV insert indirect nocache
            option httpchk GET {ControlledOrigin.HealthPath}
            http-check expect status 200
            server good {good.Address} cookie g check inter 200ms fall 5 rise 2
            server flaky {flaky.Address} cookie f check inter 50ms downinter 50ms fall 2 rise 2
        """;

    [Fact]
    public async Task FailingChecks_TrafficToServerSucceeds_ServerStaysDown()
    {
        await using var good = await ControlledOrigin.StartAsync("good");
        await using var flaky = await ControlledOrigin.StartAsync("flaky");
        await using var balancer = await StartAsync(Config(good, flaky));

        // Half the loops carry flaky's persistence cookie, so clients keep asking for it, and its traffic
        // port keeps returning 200. Only its check fails.
        await using var traffic = TrafficLoops.Start(balancer, 4, loop => loop < 2 ? "SRV=f" : null);
        await traffic.WaitForMoreAsync(20);
        Assert.True(traffic.AnsweredBy("flaky") > 0, "flaky answered no traffic while UP");
        flaky.Healthy = false;

        await WaitUntilDownAsync(traffic, flaky);
        var trafficBefore = flaky.Traffic;
        var checksBefore = flaky.Checks;
        await WaitForChecksAsync(traffic, flaky, checksBefore + CyclesWatched);

        Assert.Equal(trafficBefore, flaky.Traffic);
        Assert.Empty(await traffic.StopAsync());
    }

    [Fact]
    public async Task PassingChecks_ServerWasDown_ServerComesBack()
    {
        await using var good = await ControlledOrigin.StartAsync("good");
        await using var flaky = await ControlledOrigin.StartAsync("flaky");
        flaky.Healthy = false;
        await using var balancer = await StartAsync(Config(good, flaky));
        await using var traffic = TrafficLoops.Start(balancer, 4, loop => loop < 2 ? "SRV=f" : null);

        await WaitUntilDownAsync(traffic, flaky);
        var trafficWhileDown = flaky.Traffic;
        await WaitForChecksAsync(traffic, flaky, flaky.Checks + CyclesWatched);
        Assert.Equal(trafficWhileDown, flaky.Traffic);

        flaky.Healthy = true;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (flaky.Traffic == trafficWhileDown)
        {
            Assert.True(DateTime.UtcNow < deadline, $"flaky got no traffic within 30 s of its checks passing again ({flaky.Checks} checks in all)");
            await Task.Delay(10);
        }

        await traffic.WaitForMoreAsync(20);
        Assert.Empty(await traffic.StopAsync());
    }

    // DOWN shows as 40 completed requests, cookie loops included, during which no request reached flaky.
    private static async Task WaitUntilDownAsync(TrafficLoops traffic, ControlledOrigin flaky)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var before = flaky.Traffic;
            await traffic.WaitForMoreAsync(40);
            if (flaky.Traffic == before)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "flaky still takes traffic 30 s after its checks started failing");
        }
    }

    private static async Task WaitForChecksAsync(TrafficLoops traffic, ControlledOrigin origin, int checks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (origin.Checks < checks)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{origin.Name} got {origin.Checks} of {checks} checks in 30 s");
            await traffic.WaitForMoreAsync(1);
        }
    }
}
