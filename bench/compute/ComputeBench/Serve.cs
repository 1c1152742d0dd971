using System.Net;
using Gatehouse.Edge.Compute.Configuration;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Bench.Compute;

/// <summary>
/// The steps of <c>gatehouse serve PACKAGE-DIR</c> (fastly.toml, the compiled-module cache, default limits,
/// <see cref="GuestServer"/>) without the CLI, for when the CLI cannot be built.
/// </summary>
internal static class Serve
{
    public static async Task<int> RunAsync(string package, int port)
    {
        var environment = FastlyToml.Load(Path.Combine(package, "fastly.toml"));
        using var runtime = new ComputeRuntime(new ComputeLimits(), Path.Combine(Path.GetTempPath(), "gatehouse-compiled"), NullLoggerFactory.Instance);
        using var module = runtime.Load(Path.Combine(package, "bin", "main.wasm"));
        using var runner = new GuestRunner(module, environment);
        await using var app = await GuestServer.StartAsync(runner, new IPEndPoint(IPAddress.Loopback, port), runtime.LoggerFactory, CancellationToken.None);
        await app.WaitForShutdownAsync();
        return 0;
    }
}
