using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// Checks of the HAProxy binary itself. Each scenario's configuration is validated when the scenario starts
/// HAProxy, and a rejected one fails that scenario with HAProxy's output. So `haproxy -c` runs here only on
/// one sample configuration, which keeps the run short.
/// </summary>
public sealed class HaproxyConfigCheckTests
{
    private static readonly Dictionary<string, string> CheckEnvironment = new()
    {
        ["FE_PORT"] = "8080",
        ["S1"] = "127.0.0.1:9",
        ["S2"] = "127.0.0.1:9",
        ["S3"] = "127.0.0.1:9",
        ["S4"] = "127.0.0.1:9",
    };

    [Fact]
    public void HaproxyBinary_Version_Is26()
    {
        var version = HaproxyBinary.Require();

        Assert.StartsWith("HAProxy version 2.6", version, StringComparison.Ordinal);
    }

    [Fact]
    public void ScenarioConfig_HaproxyCheck_Accepts()
    {
        HaproxyBinary.Require();

        var (exitCode, output) = Check(ScenarioCatalog.All["path_beg"].Config);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void EdgeAssertionKeyword_HaproxyCheck_Rejects()
    {
        HaproxyBinary.Require();
        var scenario = new CompatScenario(
            "edge-assertion", "edge-assertion required jwks http://127.0.0.1:9/jwks\ndefault_backend b1", RoutingScenarios.ThreeBackends, []);

        var (exitCode, output) = Check(scenario.Config);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("edge-assertion", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Check(string config)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-compat-check-").FullName;
        try
        {
            var path = Path.Combine(directory, "haproxy.cfg");
            File.WriteAllText(path, config);
            return HaproxyBinary.Run(["-c", "-f", path], CheckEnvironment);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
