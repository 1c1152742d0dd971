using System.Runtime.CompilerServices;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class ExampleConfigTests
{
    /// <summary>
    /// Finds examples/haproxy.cfg by walking up to the folder with Gatehouse.slnx, first from the test
    /// assembly and then from this source file, because builds may put the assembly outside the tree.
    /// </summary>
    public static string ExamplePath([CallerFilePath] string sourceFile = "")
    {
        var root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Path.GetDirectoryName(sourceFile)!);
        Assert.NotNull(root);
        return Path.Combine(root, "examples", "haproxy.cfg");
    }

    private static string? FindRoot(string start)
    {
        var directory = new DirectoryInfo(start);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }

    [Fact]
    public void Load_ExampleConfig_Parses()
    {
        var variables = new Dictionary<string, string>
        {
            ["BALANCER_BIND"] = "127.0.0.1:0",
            ["STATS_BIND"] = "127.0.0.1:0",
            ["ORIGIN_ADMIN1"] = "127.0.0.1:7001",
        };

        var config = BalancerConfigLoader.Load([ExamplePath()], variables);

        Assert.Equal(["gateway", "stats"], config.Frontends.Select(each => each.Name));
        var frontend = config.Frontends[0];
        Assert.Equal("gateway", frontend.Name);
        Assert.Equal(0, Assert.Single(frontend.Binds).Port);
        Assert.True(frontend.EdgeAssertion!.Required);
        Assert.Equal(new Uri("http://127.0.0.1:8080/.well-known/gatehouse/jwks.json"), frontend.EdgeAssertion.JwksUri);
        Assert.Equal(["public", "staff", "admin", "no_route"], config.Backends.Select(backend => backend.Name));
        Assert.Equal(7001, config.FindBackend("admin")!.Servers[0].Port);
        Assert.Equal(4096, config.MaxConnections);
    }
}
