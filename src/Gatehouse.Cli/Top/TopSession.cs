using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Cli.Top;

/// <summary>
/// The interactive view of <c>gatehouse top</c> on a terminal: reads `show stat` every interval, redraws on the
/// alternate screen, and applies `set server B/S state drain|maint|ready` to the selected server on d, m and r. With an
/// edge metrics source it also reads the edge's decisions at each refresh.
/// </summary>
internal sealed class TopSession(RuntimeApiAddress address, EdgeMetricsSource? edge, TimeSpan interval, TimeProvider time)
{
    private const string Keys = "keys: up/down or j/k select a server, d drain, m maint, r ready, q quit";

    private StatSnapshot? _current;
    private StatSnapshot? _previous;
    private EdgeSnapshot? _edgeCurrent;
    private EdgeSnapshot? _edgePrevious;
    private string? _edgeError;
    private int _selected;
    private string _status = "";

    /// <summary>Runs until q, Escape, Ctrl+C or <paramref name="cancellationToken"/>; the terminal is restored in every case.</summary>
    public async Task RunAsync(StatSnapshot first, EdgeSnapshot? firstEdge, string? firstEdgeError, CancellationToken cancellationToken)
    {
        _current = first;
        _edgeCurrent = firstEdge;
        _edgeError = firstEdgeError;
        var controlCAsInput = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        // Alternate screen and hidden cursor, as full-screen terminal programs use.
        Console.Out.Write("\e[?1049h\e[?25l");
        try
        {
            await LoopAsync(cancellationToken);
        }
        finally
        {
            Console.Out.Write("\e[?25h\e[?1049l");
            Console.Out.Flush();
            Console.TreatControlCAsInput = controlCAsInput;
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var due = time.GetUtcNow() + interval;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (time.GetUtcNow() >= due)
            {
                await RefreshAsync(cancellationToken);
                due = time.GetUtcNow() + interval;
            }

            Draw();
            if (await WaitForKeyAsync(due, cancellationToken) is not { } key)
            {
                continue;
            }

            switch (ToAction(key))
            {
                case TopAction.Quit:
                    return;
                case TopAction.Up:
                    _selected = Math.Max(0, _selected - 1);
                    break;
                case TopAction.Down:
                    _selected = Math.Min(Math.Max(0, ServerCount - 1), _selected + 1);
                    break;
                case TopAction.Drain:
                    await SetStateAsync("drain", cancellationToken);
                    due = time.GetUtcNow();
                    break;
                case TopAction.Maintenance:
                    await SetStateAsync("maint", cancellationToken);
                    due = time.GetUtcNow();
                    break;
                case TopAction.Ready:
                    await SetStateAsync("ready", cancellationToken);
                    due = time.GetUtcNow();
                    break;
            }
        }
    }

    private int ServerCount => _current?.Servers.Count ?? 0;

    private static TopAction ToAction(ConsoleKeyInfo key) => key switch
    {
        { Key: ConsoleKey.C, Modifiers: ConsoleModifiers.Control } => TopAction.Quit,
        { Key: ConsoleKey.Escape } or { KeyChar: 'q' or 'Q' } => TopAction.Quit,
        { Key: ConsoleKey.UpArrow } or { KeyChar: 'k' } => TopAction.Up,
        { Key: ConsoleKey.DownArrow } or { KeyChar: 'j' } => TopAction.Down,
        { KeyChar: 'd' } => TopAction.Drain,
        { KeyChar: 'm' } => TopAction.Maintenance,
        { KeyChar: 'r' } => TopAction.Ready,
        _ => TopAction.None,
    };

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await RefreshEdgeAsync(cancellationToken);
        try
        {
            var csv = await address.SendAsync("show stat", cancellationToken);
            _previous = _current;
            _current = StatSnapshot.Parse(csv, time.GetUtcNow());
            _selected = Math.Min(_selected, Math.Max(0, ServerCount - 1));
        }
        catch (Exception exception) when (exception is SocketException or IOException or FormatException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _status = $"cannot read 'show stat' from {address}: {exception.Message}; retrying every {Format(interval)}";
        }
    }

    private async Task RefreshEdgeAsync(CancellationToken cancellationToken)
    {
        if (edge is null)
        {
            return;
        }

        var (snapshot, error) = await edge.ReadAsync(time.GetUtcNow(), cancellationToken);
        _edgeError = error;
        if (snapshot is not null)
        {
            _edgePrevious = _edgeCurrent;
            _edgeCurrent = snapshot;
        }
    }

    private async Task SetStateAsync(string state, CancellationToken cancellationToken)
    {
        var servers = _current?.Servers ?? [];
        if (_selected >= servers.Count)
        {
            _status = "no server selected";
            return;
        }

        var target = $"{Escape(servers[_selected].Proxy)}/{Escape(servers[_selected].Name)}";
        try
        {
            var output = (await address.SendAsync($"set server {target} state {state}", cancellationToken)).Trim();
            _status = output.Length == 0 ? $"set server {target} state {state}: done" : $"set server {target} state {state}: {output}";
        }
        catch (Exception exception) when (exception is SocketException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _status = $"set server {target} state {state} failed: {exception.Message}";
        }
    }

    private void Draw()
    {
        var width = Math.Max(20, Console.WindowWidth);
        var height = Math.Max(5, Console.WindowHeight);
        var lines = new List<string>
        {
            $"gatehouse top  {address}  every {Format(interval)}  {_current!.Time.ToLocalTime():HH:mm:ss}",
            Keys,
            _status,
            "",
        };
        if (edge is not null)
        {
            lines.AddRange(EdgeView.Render(_edgeCurrent, _edgePrevious, _edgeError));
            lines.Add("");
        }

        lines.AddRange(TopView.Render(_current, _previous, _selected, width));

        var screen = new StringBuilder("\e[H");
        // NOTE: rows past the terminal's height are cut, so a selected server below them is not shown.
        foreach (var line in lines.Take(height - 1))
        {
            screen.Append(line.Length > width ? line[..width] : line).Append("\e[K\n");
        }

        screen.Append("\e[J");
        Console.Out.Write(screen.ToString());
        Console.Out.Flush();
    }

    private async Task<ConsoleKeyInfo?> WaitForKeyAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        while (time.GetUtcNow() < due && !cancellationToken.IsCancellationRequested)
        {
            if (Console.KeyAvailable)
            {
                return Console.ReadKey(intercept: true);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    // The runtime API splits commands at ';' and words at blanks, and '\' escapes the next character.
    private static string Escape(string word)
    {
        var escaped = new StringBuilder();
        foreach (var c in word)
        {
            if (c is ' ' or '\t' or ';' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    internal static string Format(TimeSpan interval) => interval.TotalSeconds >= 1 && interval.TotalSeconds % 1 == 0
        ? interval.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s"
        : interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";

    private enum TopAction
    {
        None,
        Quit,
        Up,
        Down,
        Drain,
        Maintenance,
        Ready,
    }
}
