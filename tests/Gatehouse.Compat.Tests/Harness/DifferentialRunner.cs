using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Scenarios;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>Runs a scenario's requests through real HAProxy, then through Gatehouse, against the same origins.</summary>
internal static class DifferentialRunner
{
    public static async Task<IReadOnlyList<string>> CompareAsync(CompatScenario scenario, OriginServers origins)
    {
        var haproxy = await RunHaproxyAsync(scenario, origins);
        var gatehouse = await RunGatehouseAsync(scenario, origins);
        return ObservationComparer.Compare(scenario, haproxy, gatehouse);
    }

    public static async Task<Observation> RunHaproxyAsync(CompatScenario scenario, OriginServers origins)
    {
        await using var haproxy = await HaproxyProcess.StartAsync(scenario.Config, origins.Variables);
        return new Observation("haproxy", await SendAllAsync(haproxy.Port, scenario, origins));
    }

    public static async Task<Observation> RunGatehouseAsync(CompatScenario scenario, OriginServers origins)
    {
        var variables = new Dictionary<string, string>(origins.Variables) { ["FE_PORT"] = "0" };
        BalancerConfig config;
        try
        {
            config = BalancerConfigLoader.Parse(scenario.Config, "haproxy.cfg", variables);
        }
        catch (ConfigException exception)
        {
            return new Observation("gatehouse", [], exception.Message);
        }

        await using var host = await BalancerHost.StartAsync(config, new BalancerHostOptions(), CancellationToken.None);
        var port = host.BoundAddresses["fe"][0].Port;

        // HAProxy's start-up check opens one empty connection, which a `mode tcp` frontend forwards to a server
        // and so advances the balance algorithm; the same check here keeps both server sequences comparable.
        await LoopbackPorts.WaitUntilAcceptingAsync(port, TimeSpan.FromSeconds(10), () => true);
        if (config.Frontends.Any(frontend => frontend.Settings.Mode == ProxyMode.Tcp))
        {
            await WaitForProbeSessionAsync(host);
        }

        return new Observation("gatehouse", await SendAllAsync(port, scenario, origins));
    }

    // The probe is balanced on its own connection task, which can run after the first request's; waiting for
    // its session keeps the server sequence the same from run to run. A probe no server took is not waited for.
    private static async Task WaitForProbeSessionAsync(BalancerHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < deadline
            && host.State.Backends.Values.Sum(backend => backend.Servers.Sum(server => server.Counters.Total)) == 0)
        {
            await Task.Delay(10);
        }
    }

    private static async Task<List<Exchange>> SendAllAsync(int port, CompatScenario scenario, OriginServers origins)
    {
        origins.TakeReceived();
        var exchanges = new List<Exchange>();
        foreach (var request in scenario.Requests)
        {
            var response = await RawHttpClient.SendAsync(port, request);
            exchanges.Add(new Exchange(request, response, origins.TakeReceived()));
        }

        return exchanges;
    }
}
