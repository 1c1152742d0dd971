using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>
/// Builds the JS guests in tests/guests with the real Fastly JS SDK. <c>npm install</c> runs once, when
/// node_modules is missing; each guest's wasm is cached under <c>$TMPDIR/gatehouse-guests</c>, keyed by the
/// SHA-256 of its source and the lock file, so a guest is rebuilt only when either changes.
/// </summary>
internal static class GuestBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string GuestsDirectory { get; } = Path.Combine(ThisDirectory(), "..", "guests");

    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "gatehouse-guests");

    public static async Task<string> BuildAsync(string name)
    {
        await Gate.WaitAsync();
        try
        {
            var source = Path.Combine(GuestsDirectory, name, "src", "index.js");
            var key = Hash(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(GuestsDirectory, "package-lock.json")));
            var output = Path.Combine(CacheDirectory, $"{name}-{key}.wasm");
            if (File.Exists(output))
            {
                return output;
            }

            Directory.CreateDirectory(CacheDirectory);
            if (!Directory.Exists(Path.Combine(GuestsDirectory, "node_modules", "@fastly", "js-compute")))
            {
                await RunAsync("npm", "install --no-audit --no-fund");
            }

            var temporary = $"{output}.{Environment.ProcessId}.tmp";
            await RunAsync("npx", $"js-compute-runtime {source} {temporary}");
            File.Move(temporary, output, overwrite: true);
            return output;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Hash(params byte[][] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(part);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static async Task RunAsync(string command, string arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = GuestsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{command} {arguments}' in {GuestsDirectory} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    // The test binaries live under the artifacts path, outside the tree, so the source path locates tests/.
    private static string ThisDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
