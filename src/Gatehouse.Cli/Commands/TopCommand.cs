using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Gatehouse.Cli.Stack;
using Gatehouse.Cli.Top;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse top</c>: a live view of the balancer's frontends, backends and servers read from its runtime API
/// (`show stat`), like hatop. On a terminal it refreshes every interval and changes server states on key presses;
/// with <c>--once</c> or when stdout is not a terminal it prints one snapshot and exits.
/// </summary>
internal static class TopCommand
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public static Command Create()
    {
        var socket = new Option<string>("--socket")
        {
            Description = "Runtime API of the balancer (a `stats socket` line): unix:PATH or tcp:IP:PORT "
                + "(default: the socket `gatehouse up` opens, .gatehouse/run/balancer.sock).",
            DefaultValueFactory = _ => "unix:" + DemoStack.RuntimeApiSocketPath(new RunFolder(RunFolder.DefaultRoot)),
        };
        var interval = new Option<string>("--interval")
        {
            Description = "Time between refreshes, such as 500ms, 2s or 1m (default: 2s).",
            DefaultValueFactory = _ => "2s",
        };
        var once = new Option<bool>("--once") { Description = "Print one snapshot and exit, as when stdout is not a terminal." };
        var command = new Command("top", "Live view of the balancer's frontends, backends and servers; drain, maint or ready a server.")
        {
            socket, interval, once,
        };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(socket)!, result.GetValue(interval)!, result.GetValue(once), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string socketText, string intervalText, bool once, CancellationToken cancellationToken)
    {
        if (RuntimeApiAddress.TryParse(socketText, out var error) is not { } address)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        if (ParseInterval(intervalText) is not { } interval)
        {
            await Console.Error.WriteLineAsync(
                $"--interval expects a time from {TopSession.Format(MinInterval)} to 1h with a unit (ms, s or m), such as 2s, got '{intervalText}'");
            return 2;
        }

        StatSnapshot first;
        try
        {
            first = StatSnapshot.Parse(await address.SendAsync("show stat", cancellationToken), DateTimeOffset.UtcNow);
        }
        catch (Exception exception) when (exception is SocketException or IOException or FormatException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await Console.Error.WriteLineAsync(
                $"cannot reach the balancer's runtime API at {address}: {exception.Message}. Start the stack with ./gatehouse up, "
                + "or pass --socket with the address of a `stats socket` line (unix:PATH or tcp:IP:PORT).");
            return 1;
        }

        if (once || Console.IsOutputRedirected || Console.IsInputRedirected)
        {
            foreach (var line in TopView.Render(first, null, -1, int.MaxValue))
            {
                Console.Out.WriteLine(line);
            }

            return 0;
        }

        await new TopSession(address, interval, TimeProvider.System).RunAsync(first, cancellationToken);
        return 0;
    }

    private static TimeSpan? ParseInterval(string text)
    {
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (text, -1.0);
        if (unit < 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var interval = TimeSpan.FromMilliseconds(number * unit);
        return interval >= MinInterval && interval <= MaxInterval ? interval : null;
    }
}
