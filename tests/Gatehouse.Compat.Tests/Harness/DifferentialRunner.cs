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
        var connectionsBefore = origins.ConnectionCount;
        await using var haproxy = await HaproxyProcess.StartAsync(scenario.Config, origins.Variables);
        if (IsTcp(scenario))
        {
            await WaitForProbeConnectionAsync(origins, connectionsBefore);
        }

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

        var connectionsBefore = origins.ConnectionCount;
        await using var host = await BalancerHost.StartAsync(config, new BalancerHostOptions(), CancellationToken.None);
        var port = host.BoundAddresses["fe"][0].Port;

        // HAProxy's start-up check opens one empty connection, and a `mode tcp` frontend forwards it to a server.
        // That advances the balance algorithm, so the same check here keeps both server sequences comparable.
        await LoopbackPorts.WaitUntilAcceptingAsync(port, TimeSpan.FromSeconds(10), () => true);
        if (IsTcp(scenario))
        {
            await WaitForProbeConnectionAsync(origins, connectionsBefore);
        }

        return new Observation("gatehouse", await SendAllAsync(port, scenario, origins));
    }

    private static bool IsTcp(CompatScenario scenario) =>
        scenario.Config.Contains("mode tcp", StringComparison.Ordinal);

    // Either proxy balances the readiness probe on its own connection, which can reach a server after the
    // first request does. Waiting until an origin has accepted the probe keeps the server sequence the same
    // from run to run. If no server takes the probe (all refused), the wait ends after 3 seconds.
    private static async Task WaitForProbeConnectionAsync(OriginServers origins, long connectionsBefore)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline && origins.ConnectionCount == connectionsBefore)
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
