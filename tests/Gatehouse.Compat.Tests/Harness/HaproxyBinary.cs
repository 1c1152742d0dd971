using System.Diagnostics;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>Locates the HAProxy binary that the differential tests compare against.</summary>
internal static class HaproxyBinary
{
    public const string Path = "/usr/sbin/haproxy";

    public const string MissingMessage =
        "HAProxy not found at " + Path + "; install the Debian haproxy package (apt-get install haproxy)";

    private static readonly TimeSpan InstallWait = TimeSpan.FromMinutes(3);
    private static readonly Lazy<bool> Installed = new(WaitForInstall);
    private static readonly Lazy<string> Version = new(ReadVersion);

    /// <summary>
    /// Fails the calling test with <see cref="MissingMessage"/> when the binary is missing, instead of skipping
    /// it. Returns the first line of `haproxy -vv`.
    /// </summary>
    public static string Require()
    {
        Assert.True(Installed.Value, MissingMessage);
        return Version.Value;
    }

    /// <summary>Runs `haproxy ARGS` to completion and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill();
            return (-1, $"haproxy {string.Join(' ', start.ArgumentList)} timed out after 20 s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Waits up to three minutes, once per test run, because the package may still be installing.</summary>
    private static bool WaitForInstall()
    {
        var deadline = DateTime.UtcNow + InstallWait;
        while (!File.Exists(Path) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(TimeSpan.FromSeconds(2));
        }

        return File.Exists(Path);
    }

    private static string ReadVersion()
    {
        var (exitCode, output) = Run(["-vv"], new Dictionary<string, string>());
        Assert.True(exitCode == 0, $"haproxy -vv failed with exit code {exitCode}: {output}");
        return output.Split('\n')[0].Trim();
    }
}
