using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;
using Xunit.Abstractions;

namespace Gatehouse.Compat.Tests;

/// <summary>Runs each TLS scenario through real HAProxy and through Gatehouse and compares what clients and origins saw.</summary>
public sealed class TlsDifferentialTests : IClassFixture<OriginServers>, IClassFixture<TlsOriginServers>
{
    private readonly OriginServers _origins;
    private readonly TlsOriginServers _tlsOrigins;
    private readonly ITestOutputHelper _output;

    public TlsDifferentialTests(OriginServers origins, TlsOriginServers tlsOrigins, ITestOutputHelper output)
    {
        _origins = origins;
        _tlsOrigins = tlsOrigins;
        _output = output;
    }

    public static TheoryData<string> Scenarios => TlsScenarios.Names();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task TlsScenario_SameAsHaproxy(string name)
    {
        var scenario = TlsScenarios.All[name];
        var variables = new Dictionary<string, string>(_origins.Variables);
        foreach (var (key, value) in _tlsOrigins.Variables)
        {
            variables[key] = value;
        }

        var haproxy = await RunHaproxyAsync(scenario, variables);
        var gatehouse = await RunGatehouseAsync(scenario, variables);
        var differences = Compare(scenario, haproxy, gatehouse);
        _output.WriteLine(string.Join("\n", haproxy.Select(line => "haproxy:   " + line).Concat(gatehouse.Select(line => "gatehouse: " + line))));

        Assert.True(differences.Count == 0, $"Gatehouse differs from HAProxy in '{name}':\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task MutualTls_HaproxyRejectsClientWithoutCertificate()
    {
        var scenario = TlsScenarios.All["mutual tls verify required"];
        var variables = new Dictionary<string, string>(_origins.Variables);
        foreach (var (key, value) in _tlsOrigins.Variables)
        {
            variables[key] = value;
        }

        var haproxy = await RunHaproxyAsync(scenario, variables);

        Assert.StartsWith("200 ", haproxy[0], StringComparison.Ordinal);
        Assert.StartsWith("0 ", haproxy[1], StringComparison.Ordinal);
    }

    private async Task<List<string>> RunHaproxyAsync(TlsScenario scenario, Dictionary<string, string> variables)
    {
        await using var haproxy = await HaproxyProcess.StartAsync(scenario.Config, variables);
        return await SendAllAsync(haproxy.Port, scenario);
    }

    private async Task<List<string>> RunGatehouseAsync(TlsScenario scenario, Dictionary<string, string> variables)
    {
        var config = BalancerConfigLoader.Parse(scenario.Config, "haproxy.cfg", new Dictionary<string, string>(variables) { ["FE_PORT"] = "0" });
        await using var host = await BalancerHost.StartAsync(config, new BalancerHostOptions(), CancellationToken.None);
        var port = host.BoundAddresses["fe"][0].Port;
        await LoopbackPorts.WaitUntilAcceptingAsync(port, TimeSpan.FromSeconds(10), () => true);
        return await SendAllAsync(port, scenario);
    }

    /// <summary>Sends every probe and describes each exchange as one line: status, body and the selected headers at the origin.</summary>
    private async Task<List<string>> SendAllAsync(int port, TlsScenario scenario)
    {
        if (scenario.SettledBody is { } settled)
        {
            await SettleAsync(port, scenario.Probes[0], settled);
        }

        _origins.TakeReceived();
        var lines = new List<string>();
        foreach (var probe in scenario.Probes)
        {
            var response = await SendAsync(port, probe);
            var received = _origins.TakeReceived();
            var line = scenario.StatusOnly ? $"{response.Status} " : $"{response.Status} {response.Body}";
            foreach (var header in scenario.HeadersAtOrigin)
            {
                var values = received.SelectMany(request => request.Headers.Where(pair => pair.Key == header).Select(pair => pair.Value));
                line += $" | {header}: {string.Join(",", values)}";
            }

            lines.Add(line);
        }

        return lines;
    }

    private async Task SettleAsync(int port, TlsProbe probe, string settled)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var inRow = 0;
        while (inRow < 2 && DateTime.UtcNow < deadline)
        {
            var response = await SendAsync(port, probe);
            inRow = response.Body.StartsWith(settled, StringComparison.Ordinal) ? inRow + 1 : 0;
        }
    }

    private Task<ProbeResponse> SendAsync(int port, TlsProbe probe)
    {
        var certificates = _tlsOrigins.Certificates;
        return probe.PlainText
            ? RawHttpClient.SendAsync(port, probe.Request)
            : TlsProbeClient.SendAsync(port, probe.ServerName, probe.ClientCertificate ? certificates.Client : null, probe.Request, certificates);
    }

    private static List<string> Compare(TlsScenario scenario, List<string> haproxy, List<string> gatehouse)
    {
        var differences = new List<string>();
        for (var i = 0; i < scenario.Probes.Length; i++)
        {
            // A rejected handshake is status 0 on both sides; the exception type may differ with the TLS version's timing.
            var expected = haproxy[i].StartsWith("0 ", StringComparison.Ordinal) ? "0" : haproxy[i];
            var actual = gatehouse[i].StartsWith("0 ", StringComparison.Ordinal) ? "0" : gatehouse[i];
            if (expected != actual)
            {
                differences.Add($"{scenario.Probes[i]}: haproxy=<{haproxy[i]}> gatehouse=<{gatehouse[i]}>");
            }
        }

        return differences;
    }
}
