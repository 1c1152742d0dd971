using System.CommandLine;
using System.Net;
using Gatehouse.Cli.Stack;
using Gatehouse.Edge.Compute.Configuration;
using Gatehouse.Edge.Compute.Runtime;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse serve PACKAGE-DIR</c>: runs a Fastly Compute package locally, as <c>fastly compute serve</c>
/// does, reading the <c>[local_server]</c> table of its fastly.toml.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var package = new Argument<string>("package-dir") { Description = "Folder of the Compute package (contains fastly.toml)." };
        var wasm = new Option<string?>("--wasm") { Description = "Wasm module to run (default: PACKAGE-DIR/bin/main.wasm)." };
        var address = new Option<string>("--addr") { Description = "Address and port to listen on.", DefaultValueFactory = _ => "127.0.0.1:7676" };
        var command = new Command("serve", "Serve a Fastly Compute package on a local listener.") { package, wasm, address };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(package)!, result.GetValue(wasm), result.GetValue(address)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string packageDirectory, string? wasmPath, string address, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(address, out var endpoint))
        {
            await Console.Error.WriteLineAsync($"--addr: '{address}' is not an address and port such as 127.0.0.1:7676");
            return 2;
        }

        var wasm = wasmPath ?? Path.Combine(packageDirectory, "bin", "main.wasm");
        if (!File.Exists(wasm))
        {
            await Console.Error.WriteLineAsync($"{wasm}: file not found; build the package first or pass --wasm FILE");
            return 1;
        }

        GuestEnvironment environment;
        var toml = Path.Combine(packageDirectory, "fastly.toml");
        try
        {
            environment = File.Exists(toml) ? FastlyToml.Load(toml) : new GuestEnvironment();
        }
        catch (FastlyTomlException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }

        using var shutdown = new ShutdownSignal(cancellationToken);
        using var loggers = CliLogging.Create();
        // Loading a cached module runs its native code, so the cache is the user's own folder, not /tmp.
        using var runtime = new ComputeRuntime(new ComputeLimits(), RunFolder.CreateGuestCacheDirectory(), loggers);
        using var module = runtime.Load(wasm);
        using var runner = new GuestRunner(module, environment);
        await using var app = await GuestServer.StartAsync(runner, endpoint, loggers, shutdown.Token);
        Console.WriteLine($"serving {wasm} on http://{endpoint}");
        await shutdown.WaitAsync();
        Console.WriteLine("stopping…");
        return 0;
    }
}
