using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Bench.Compute;

/// <summary>Runs one request with console logging, to see what a guest does.</summary>
internal static class Probe
{
    public static async Task<int> RunAsync(string wasm, string path)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
        using var runtime = new ComputeRuntime(new ComputeLimits(), Path.Combine(Path.GetTempPath(), "gatehouse-compiled"), loggers);
        using var module = runtime.Load(wasm);
        var environment = new GuestEnvironment();
        // PROBE_BACKEND=NAME=URL adds one backend with a 300 ms first-byte timeout.
        if (Environment.GetEnvironmentVariable("PROBE_BACKEND")?.Split('=', 2) is [var name, var url])
        {
            environment.Backends[name] = new GuestBackend(name, new Uri(url)) { FirstByteTimeout = TimeSpan.FromMilliseconds(300) };
        }

        using var runner = new GuestRunner(module, environment);
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = path;
        var outcome = await runner.RunAsync(context, new GuestRequestContext { RequestId = "probe" }, CancellationToken.None);
        Console.WriteLine(outcome);
        return 0;
    }
}
