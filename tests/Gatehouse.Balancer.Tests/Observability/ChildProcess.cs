using System.Diagnostics;

namespace Gatehouse.Balancer.Tests.Observability;

/// <summary>Runs a program to its end for a test, killing it at a deadline. Linked into the end-to-end tests as well.</summary>
internal static class ChildProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> and returns its exit code and output. With
    /// <paramref name="redirectInput"/> its standard input is a pipe, so the program sees no terminal.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
