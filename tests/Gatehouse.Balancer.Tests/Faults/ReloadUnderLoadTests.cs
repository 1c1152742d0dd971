using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Tests.Runtime;
using Xunit.Abstractions;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Faults;

/// <summary>
/// The configuration file is rewritten and reloaded, as SIGHUP does, several times while steady traffic with
/// slow requests in flight runs through the balancer. Each version changes servers, weights or the algorithm,
/// and every version keeps a server that refuses connections, which each reload starts as UP again.
/// </summary>
public sealed class ReloadUnderLoadTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gatehouse-reload-load-{Guid.NewGuid():N}.cfg");
    private readonly int _refusedPort = RefusedPort();
    private readonly ITestOutputHelper _output;

    public ReloadUnderLoadTests(ITestOutputHelper output) => _output = output;

    private string Config(string balance, params string[] servers) => $"""
        defaults
            mode http
            timeout connect 2s
            timeout server 10s
            retries 2
            option redispatch
        frontend gateway
            bind 127.0.0.1:0
            default_backend be
        backend be
            balance {balance}
            option httpchk GET {ControlledOrigin.HealthPath}
        {string.Join("\n", servers.Select(server => "    " + server))}
            server dead 127.0.0.1:{_refusedPort} check inter 100ms fall 1
        """;

    [Fact]
    public async Task ReloadFiles_FiveVersionsUnderTraffic_NoFailedRequests()
    {
        await using var a = await ControlledOrigin.StartAsync("a");
        await using var b = await ControlledOrigin.StartAsync("b");
        await using var c = await ControlledOrigin.StartAsync("c");
        string Line(ControlledOrigin origin, string options = "") => $"server {origin.Name} {origin.Address} check inter 100ms {options}";
        string[] versions =
        [
            Config("roundrobin", Line(a), Line(b), Line(c)),
            Config("roundrobin", Line(b), Line(c)),
            Config("leastconn", Line(a, "weight 10"), Line(c, "weight 200")),
            Config("static-rr", Line(a), Line(b, "weight 5")),
            Config("roundrobin", Line(a), Line(b), Line(c)),
        ];

        await File.WriteAllTextAsync(_path, Config("roundrobin", Line(a), Line(b)));
        await using var balancer = await StartFromFileAsync(_path);
        await using var traffic = TrafficLoops.Start(balancer, 4);
        await traffic.WaitForMoreAsync(30);

        var cBeforeLast = 0;
        foreach (var version in versions)
        {
            cBeforeLast = c.Traffic;
            await File.WriteAllTextAsync(_path, version);
            Assert.True(await balancer.Host.ReloadFilesAsync([_path], CancellationToken.None), "a valid file was not reloaded");
            await traffic.WaitForMoreAsync(30);
        }

        // The version before the last has no c: traffic reaching c again shows that the last reload took effect.
        await traffic.WaitForMoreAsync(30);
        var failures = await traffic.StopAsync();

        _output.WriteLine($"{traffic.Completed} requests: a {traffic.AnsweredBy("a")}, b {traffic.AnsweredBy("b")}, c {traffic.AnsweredBy("c")}");
        Assert.Empty(failures);
        Assert.True(c.Traffic > cBeforeLast, "c got no traffic after the last reload");
        Assert.True(traffic.AnsweredBy("a") > 0, "a answered nothing");
        Assert.True(traffic.AnsweredBy("b") > 0, "b answered nothing");
    }

    private static Task<BalancerTestHost> StartFromFileAsync(string path) => StartAsync(BalancerConfigLoader.Load([path]));

    public void Dispose() => File.Delete(_path);
}
