using System.Diagnostics;
using System.Text;
using Gatehouse.Balancer.Tests.Observability;
using Gatehouse.Cli.Top;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// <c>gatehouse top</c> against the demo stack's runtime API socket: one snapshot on a pipe, and the interactive
/// view in a real terminal (a tmux session of its own) draining the selected server.
/// </summary>
public sealed class TopCommandTests : IClassFixture<StackFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly StackFixture _stack;

    public TopCommandTests(StackFixture stack)
    {
        _stack = stack;
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");

    private string EdgeMetrics => new Uri(_stack.Stack.EdgeMetricsAddress!, _stack.Stack.Edge.MetricsPath).ToString();

    [Fact]
    public async Task Top_StdoutRedirected_PrintsOneSnapshot()
    {
        using var hello = await _stack.Http.GetAsync(new Uri(_stack.Edge, "/api/public/hello"));

        var (exitCode, output, error) = await RunCliAsync("top", "--socket", "unix:" + _stack.Stack.RuntimeApiSocket, "--edge-metrics", EdgeMetrics);

        Assert.True(exitCode == 0, error);
        Assert.StartsWith("EDGE\n", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  decisions so far(  [a-z]+ [1-9][0-9]*)+\n", output);
        Assert.Matches(@"\n  penalty box [0-9]+ entries\n", output);
        Assert.Contains("FRONTENDS", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  gateway\s+OPEN", output);
        Assert.Matches(@"\n  public\s+UP", output);
        Assert.Matches(@"\n    public1\s+no check", output);
        Assert.Matches(@"\n    admin1\s+no check", output);
    }

    [Fact]
    public async Task Top_MissingSocket_ExitsWithMessage()
    {
        var missing = Path.Combine(_stack.RunRoot, "no-such.sock");

        var (exitCode, output, error) = await RunCliAsync("top", "--once", "--socket", "unix:" + missing);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains($"cannot reach the balancer's runtime API at unix:{missing}: no socket file at {missing}", error, StringComparison.Ordinal);
        Assert.Contains("./gatehouse up", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_EdgeMetricsOff_PrintsBalancerOnly()
    {
        var (exitCode, output, error) = await RunCliAsync("top", "--socket", "unix:" + _stack.Stack.RuntimeApiSocket, "--edge-metrics", "off");

        Assert.True(exitCode == 0, error);
        Assert.DoesNotContain("EDGE", output, StringComparison.Ordinal);
        Assert.StartsWith("NAME", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_EdgeMetricsNotUrl_ExitsWithUsage()
    {
        var (exitCode, _, error) = await RunCliAsync("top", "--socket", "unix:" + _stack.Stack.RuntimeApiSocket, "--edge-metrics", "ftp://x/");

        Assert.Equal(2, exitCode);
        Assert.Contains("--edge-metrics expects an http:// or https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_InvalidInterval_ExitsWithUsage()
    {
        var (exitCode, _, error) = await RunCliAsync("top", "--interval", "2", "--socket", "unix:" + _stack.Stack.RuntimeApiSocket);

        Assert.Equal(2, exitCode);
        Assert.Contains("--interval expects a time", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_InTmux_DrainKeyDrainsSelectedServer()
    {
        var socket = _stack.Stack.RuntimeApiSocket;
        var address = RuntimeApiAddress.TryParse("unix:" + socket, out _)!;
        await using var tmux = await TmuxSession.StartAsync(
            $"dotnet {Quote(Cli)} top --socket {Quote("unix:" + socket)} --edge-metrics {Quote(EdgeMetrics)} --interval 500ms");

        var screen = await tmux.WaitForAsync(text => text.Contains("gateway", StringComparison.Ordinal) && text.Contains("  > ", StringComparison.Ordinal), Deadline);
        // After the second reading the edge line turns from totals into rates.
        await tmux.WaitForAsync(text => text.Contains("  decisions/s", StringComparison.Ordinal), Deadline);
        var first = SelectedServer(screen);
        await tmux.SendKeysAsync("j");
        screen = await tmux.WaitForAsync(text => SelectedServer(text) is { } name && name != first, Deadline);
        var second = SelectedServer(screen)!;
        await tmux.SendKeysAsync("d");
        var drained = await WaitForStatusAsync(address, second, "DRAIN");

        Assert.NotNull(first);
        Assert.Equal("DRAIN", drained);
        Assert.NotEqual("DRAIN", ServerStatus(await address.SendAsync("show stat", CancellationToken.None), first!));
        await tmux.WaitForAsync(text => text.Contains($"state drain: done", StringComparison.Ordinal), Deadline);

        // Leave the shared stack as it was for the other tests of this class.
        var backend = BackendOf(await address.SendAsync("show stat", CancellationToken.None), second);
        Assert.Equal("", await address.SendAsync($"set server {backend}/{second} state ready", CancellationToken.None));
    }

    private static async Task<string?> WaitForStatusAsync(RuntimeApiAddress address, string server, string status)
    {
        var deadline = DateTime.UtcNow + Deadline;
        string? current = null;
        while (DateTime.UtcNow < deadline)
        {
            current = ServerStatus(await address.SendAsync("show stat", CancellationToken.None), server);
            if (current == status)
            {
                return current;
            }

            await Task.Delay(100);
        }

        return current;
    }

    private static string? ServerStatus(string csv, string server) =>
        StatSnapshot.Parse(csv, DateTimeOffset.UtcNow).Servers.FirstOrDefault(row => row.Name == server)?.Status;

    private static string BackendOf(string csv, string server) =>
        StatSnapshot.Parse(csv, DateTimeOffset.UtcNow).Servers.First(row => row.Name == server).Proxy;

    private static string? SelectedServer(string screen)
    {
        var line = screen.Split('\n').FirstOrDefault(line => line.StartsWith("  > ", StringComparison.Ordinal));
        return line?[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args) =>
        ChildProcess.RunAsync("dotnet", args.Prepend(Cli), redirectInput: true);

    /// <summary>A detached tmux session on a tmux server of its own (-L), so the test never touches other sessions.</summary>
    private sealed class TmuxSession : IAsyncDisposable
    {
        private readonly string _server = "gh-top-" + Guid.NewGuid().ToString("N")[..12];
        private string _lastScreen = "";

        public static async Task<TmuxSession> StartAsync(string command)
        {
            var session = new TmuxSession();
            var (exitCode, error) = await session.RunAsync("new-session", "-d", "-s", "top", "-x", "160", "-y", "40", command);
            Assert.True(exitCode == 0, "tmux new-session failed (install tmux with apt-get install -y tmux): " + error);
            return session;
        }

        public async Task SendKeysAsync(string keys) => Assert.Equal(0, (await RunAsync("send-keys", "-t", "top", keys)).ExitCode);

        /// <summary>Polls the pane until <paramref name="done"/> holds; fails with the last screen at the deadline.</summary>
        public async Task<string> WaitForAsync(Func<string, bool> done, TimeSpan deadline)
        {
            var end = DateTime.UtcNow + deadline;
            while (DateTime.UtcNow < end)
            {
                var (exitCode, output) = await RunAsync("capture-pane", "-p", "-t", "top");
                if (exitCode == 0)
                {
                    _lastScreen = output;
                    if (done(output))
                    {
                        return output;
                    }
                }

                await Task.Delay(200);
            }

            Assert.Fail("the expected text did not appear in the tmux pane; last screen:\n" + _lastScreen);
            return _lastScreen;
        }

        public async ValueTask DisposeAsync() => await RunAsync("kill-session", "-t", "top");

        private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
        {
            var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add(_server);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = new StringBuilder(await output).Append(await error).ToString();
            return (process.ExitCode, text);
        }
    }
}
