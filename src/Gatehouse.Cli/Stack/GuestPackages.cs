using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Cli.Stack;

/// <summary>
/// Builds the example guest packages under examples/guests before <c>gatehouse up</c> loads edge.toml: a
/// package (package.json and src/index.js) whose bin/main.wasm is missing or older than a file in src is
/// built with the Fastly JS SDK (<c>npm install</c> when node_modules lacks it, then <c>npx js-compute-runtime</c>).
/// Without Node.js the build fails with the commands to run by hand; a stale wasm is never served.
/// </summary>
internal static partial class GuestPackages
{
    public static async Task BuildAsync(string guestsDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(guestsDirectory))
        {
            return;
        }

        foreach (var package in Directory.GetDirectories(guestsDirectory).Order(StringComparer.Ordinal))
        {
            var source = Path.Combine(package, "src");
            var wasm = Path.Combine(package, "bin", "main.wasm");
            if (!File.Exists(Path.Combine(package, "package.json")) || !Directory.Exists(source) || IsCurrent(wasm, source))
            {
                continue;
            }

            // Several `up` processes may start on one checkout at once (the end-to-end tests do): one builds
            // while the others wait, and the module appears by rename so nobody loads a half-written file.
            using var buildLock = await AcquireLockAsync(package, cancellationToken);
            if (IsCurrent(wasm, source))
            {
                continue;
            }

            Building(logger, package);
            if (!Directory.Exists(Path.Combine(package, "node_modules", "@fastly", "js-compute")))
            {
                await RunAsync(package, "npm", "install --no-audit --no-fund", cancellationToken);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(wasm)!);
            var partial = $"bin/main.wasm.{Environment.ProcessId}.partial";
            await RunAsync(package, "npx", $"js-compute-runtime src/index.js {partial}", cancellationToken);
            File.Move(Path.Combine(package, partial), wasm, overwrite: true);
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string package, CancellationToken cancellationToken)
    {
        var path = Path.Combine(package, ".build.lock");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static bool IsCurrent(string wasm, string source) =>
        File.Exists(wasm)
        && Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .All(file => File.GetLastWriteTimeUtc(file) <= File.GetLastWriteTimeUtc(wasm));

    private static async Task RunAsync(string package, string command, string arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = package,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            process = null;
        }

        if (process is null)
        {
            throw new StackConfigException([HowToBuild(package, $"'{command}' was not found; install Node.js 20 or later")]);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var output = (await stdout + await stderr).Trim();
                throw new StackConfigException([HowToBuild(package, $"'{command} {arguments}' exited with {process.ExitCode}: {output}")]);
            }
        }
    }

    private static string HowToBuild(string package, string problem) =>
        $"{package}: the guest package could not be built: {problem}. Build it by hand with `npm install && npm run build` in that folder.";

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Building guest package {Package} with the Fastly JS SDK")]
    private static partial void Building(ILogger logger, string package);
}
