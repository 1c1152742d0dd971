using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Gatehouse.Cli.Stack;
using Gatehouse.Cli.Top;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse top</c>: a live view of the balancer's frontends, backends and servers read from its runtime API
/// (`show stat`), like hatop. On a terminal it refreshes every interval and changes server states on key presses;
/// with <c>--once</c> or when stdout is not a terminal it prints one snapshot and exits. The edge's decisions come
/// from the edge's Prometheus endpoint, because the balancer's runtime API has no edge data.
/// </summary>
internal static class TopCommand
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    /// <summary>The edge metrics listener of <c>gatehouse up</c> with fixed ports (EDGE_METRICS_LISTEN in examples/edge.toml).</summary>
    private const string DefaultEdgeMetrics = "http://127.0.0.1:9464/metrics";

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
        var edgeMetrics = new Option<string?>("--edge-metrics")
        {
            Description = "Prometheus endpoint of the edge for its decisions per second, or 'off' "
                + "(default: the one `gatehouse up` records in .gatehouse/run/state.json, else http://127.0.0.1:9464/metrics).",
        };
        var once = new Option<bool>("--once") { Description = "Print one snapshot and exit, as when stdout is not a terminal." };
        var command = new Command("top", "Live view of the balancer's frontends, backends and servers; drain, maint or ready a server.")
        {
            socket, interval, edgeMetrics, once,
        };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(socket)!, result.GetValue(interval)!, result.GetValue(edgeMetrics), result.GetValue(once), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string socketText, string intervalText, string? edgeText, bool once, CancellationToken cancellationToken)
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

        if (ParseEdgeMetrics(edgeText, out var edgeUrl) is { } edgeError)
        {
            await Console.Error.WriteLineAsync(edgeError);
            return 2;
        }

        using var edge = edgeUrl is null ? null : new EdgeMetricsSource(edgeUrl);
        var (firstEdge, firstEdgeError) = edge is null ? (null, null) : await edge.ReadAsync(DateTimeOffset.UtcNow, cancellationToken);
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
            IEnumerable<string> lines = edge is null ? [] : EdgeView.Render(firstEdge, null, firstEdgeError).Append("");
            foreach (var line in lines.Concat(TopView.Render(first, null, -1, int.MaxValue)))
            {
                Console.Out.WriteLine(line);
            }

            return 0;
        }

        await new TopSession(address, edge, interval, TimeProvider.System).RunAsync(first, firstEdge, firstEdgeError, cancellationToken);
        return 0;
    }

    // Returns an error message, or null with the endpoint to read (null for 'off').
    private static string? ParseEdgeMetrics(string? text, out Uri? url)
    {
        url = null;
        if (text == "off")
        {
            return null;
        }

        text ??= new RunFolder(RunFolder.DefaultRoot).ReadState()?.EdgeMetricsUrl ?? DefaultEdgeMetrics;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return $"--edge-metrics expects an http:// or https:// URL such as {DefaultEdgeMetrics}, or 'off', got '{text}'";
        }

        url = parsed;
        return null;
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
