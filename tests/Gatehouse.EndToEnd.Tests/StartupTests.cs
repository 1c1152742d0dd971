using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Cli.Stack;
using Gatehouse.Edge.Configuration;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>Start-up failures on bad configuration, and the token command as a user runs it.</summary>
public sealed class StartupTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public StartupTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task Up_BadHaproxyCfg_FailsWithFileLineAndKeyword()
    {
        var folder = CopyExamples();
        var cfg = Path.Combine(folder, "haproxy.cfg");
        var lines = (await File.ReadAllLinesAsync(cfg)).ToList();
        var line = lines.FindIndex(l => l.TrimStart().StartsWith("use_backend admin", StringComparison.Ordinal));
        lines[line] = "    use-backend admin if path_admin";
        await File.WriteAllLinesAsync(cfg, lines);

        var error = await Assert.ThrowsAsync<ConfigException>(() => StartAsync(folder));

        Assert.Contains($"haproxy.cfg:{line + 1}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'use-backend'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_BadEdgeToml_FailsWithFileLineAndKey()
    {
        var folder = CopyExamples();
        var toml = Path.Combine(folder, "edge.toml");
        var lines = (await File.ReadAllLinesAsync(toml)).ToList();
        var line = lines.FindIndex(l => l.StartsWith("kind = \"protected\"", StringComparison.Ordinal));
        lines[line] = "kind = \"private\"";
        await File.WriteAllLinesAsync(toml, lines);

        var error = await Assert.ThrowsAsync<EdgeConfigException>(() => StartAsync(folder));

        Assert.Contains($"edge.toml:{line + 1}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'kind'", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"private\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_BothFilesBad_ReportsBoth()
    {
        var folder = CopyExamples();
        await File.AppendAllTextAsync(Path.Combine(folder, "haproxy.cfg"), "\nbackend extra\n    balance nonsense\n");
        await File.AppendAllTextAsync(Path.Combine(folder, "edge.toml"), "\n[edgee]\n");

        var error = await Assert.ThrowsAsync<StackConfigException>(() => StartAsync(folder));

        Assert.Contains(error.Errors, e => e.Contains("haproxy.cfg:", StringComparison.Ordinal) && e.Contains("nonsense", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:", StringComparison.Ordinal) && e.Contains("'edgee'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenCommand_PrintsTokenTheEdgeAccepts()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "token", "--user", "bob", "--issuer", _stack.Stack.Issuer.IssuerUri.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(0, process.ExitCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.Edge, "/admin/x"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", output.Trim());
        using var response = await _stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenCommand_UnknownUser_FailsWithMessage()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "token", "--user", "mallory", "--issuer", _stack.Stack.Issuer.IssuerUri.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    private static string CopyExamples()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gatehouse-cfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "static"));
        foreach (var file in Directory.GetFiles(RepositoryPaths.Examples))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(RepositoryPaths.Examples, "static", "hello.txt"), Path.Combine(folder, "static", "hello.txt"));
        RepositoryPaths.LinkGuests(folder);
        return folder;
    }

    private static async Task StartAsync(string folder)
    {
        await using var stack = await StackFixture.StartStackAsync(folder, Path.Combine(folder, "run"));
    }
}

/// <summary>The <c>up</c> command as a user runs it: a child process, a request through it, then SIGTERM.</summary>
public sealed class UpProcessTests
{
    [Fact]
    public async Task Up_Sigterm_StopsCleanlyAndFlushesRecords()
    {
        var runRoot = Path.Combine(Path.GetTempPath(), "gatehouse-up-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), "up", "--free-ports",
                "--run-dir", runRoot, "--config-dir", RepositoryPaths.Examples,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var stateFile = Path.Combine(runRoot, "run", "state.json");
            // The first start on a checkout also builds and compiles the example guest.
            var deadline = DateTime.UtcNow.AddSeconds(240);
            while (!File.Exists(stateFile) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(File.Exists(stateFile), "up did not write run/state.json: " + output);
            using var state = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(stateFile));
            var edge = new Uri(state.RootElement.GetProperty("EdgeUrl").GetString()!);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using var response = await http.GetAsync(new Uri(edge, "/api/public/up"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var requestId = response.Headers.GetValues("X-Request-Id").Single();

            Assert.Contains("Gatehouse is up.", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, NativeSignals.Kill(process.Id, NativeSignals.SigTerm));

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(stateFile));
            var records = await File.ReadAllTextAsync(Path.Combine(runRoot, "run", "balancer-decisions.jsonl"));
            Assert.Contains(requestId, records, StringComparison.Ordinal);

            // Shutdown seals both record files with a checkpoint signed by the key ring; verify them as an
            // auditor would, then join the request's records from both tiers.
            var (verifyExit, verifyOutput) = await RunCliAsync("audit", "verify", "--run-dir", runRoot);
            Assert.True(verifyExit == 0, verifyOutput);
            var (showExit, showOutput) = await RunCliAsync("audit", "show", "--run-dir", runRoot, "--request-id", requestId, "--json");
            Assert.Equal(0, showExit);
            Assert.Contains("\"tier\":\"edge\"", showOutput, StringComparison.Ordinal);
            Assert.Contains("\"tier\":\"balancer\"", showOutput, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(runRoot, recursive: true);
        }
    }
    private static async Task<(int Exit, string Output)> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(exit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

internal static partial class NativeSignals
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int processId, int signal);
}

/// <summary>A symbolic link inside the static folder never exposes what it points to.</summary>
public sealed class StaticSymlinkTests
{
    [Fact]
    public async Task Static_SymlinkOutsideRoot_Returns404()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gatehouse-link-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "static"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "haproxy.cfg"), Path.Combine(folder, "haproxy.cfg"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "edge.toml"), Path.Combine(folder, "edge.toml"));
        RepositoryPaths.LinkGuests(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "secret.txt"), "top secret");
        await File.WriteAllTextAsync(Path.Combine(folder, "static", "plain.txt"), "plain");
        File.CreateSymbolicLink(Path.Combine(folder, "static", "link.txt"), Path.Combine(folder, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "static", "dir"), folder);

        await using var stack = await StackFixture.StartStackAsync(folder, Path.Combine(folder, "run"));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var plain = await http.GetAsync(new Uri(stack.Edge.Address, "/static/plain.txt"));
        using var link = await http.GetAsync(new Uri(stack.Edge.Address, "/static/link.txt"));
        using var throughDir = await http.GetAsync(new Uri(stack.Edge.Address, "/static/dir/secret.txt"));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, throughDir.StatusCode);
        Assert.DoesNotContain("top secret", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class RunFolderTests
{
    [Fact]
    public void RunFolder_SecondLock_Refused()
    {
        var folder = new Gatehouse.Cli.Stack.RunFolder(Path.Combine(Path.GetTempPath(), "gatehouse-lock-" + Guid.NewGuid().ToString("N")));

        using (var first = folder.TryLock())
        {
            Assert.NotNull(first);
            Assert.Null(folder.TryLock());
        }

        using var again = folder.TryLock();
        Assert.NotNull(again);
    }
}
