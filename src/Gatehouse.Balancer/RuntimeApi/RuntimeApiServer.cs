using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.RuntimeApi;

/// <summary>
/// The runtime API listener (`stats socket`). A connection sends one line of ';'-separated commands and gets
/// each command's output followed by a blank line, then the connection closes, unless the line was `prompt`:
/// in interactive mode each response ends with "> " and the connection stays open until `quit`.
/// </summary>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    private const int MaxLineLength = 64 * 1024;

    private readonly Socket _listener;
    private readonly RuntimeCommands _commands;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string? _path;
    private Task _acceptLoop = Task.CompletedTask;

    private RuntimeApiServer(Socket listener, RuntimeCommands commands, ILogger logger, string? path)
    {
        _listener = listener;
        _commands = commands;
        _logger = logger;
        _path = path;
    }

    /// <summary>The TCP endpoint listened on, with the real port when the setting asked for port 0; null for a unix socket.</summary>
    public System.Net.IPEndPoint? LocalEndpoint => _listener.LocalEndPoint as System.Net.IPEndPoint;

    /// <summary>Binds the socket and starts accepting. A stale unix socket file at the path is replaced, as HAProxy does.</summary>
    public static RuntimeApiServer Start(StatsSocketSetting setting, RuntimeApiContext context, ILogger logger)
    {
        Socket listener;
        if (setting.Path is { } path)
        {
            File.Delete(path);
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (setting.Mode is { } mode && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        else
        {
            listener = new Socket(setting.Endpoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(setting.Endpoint);
        }

        listener.Listen(16);
        var server = new RuntimeApiServer(listener, new RuntimeCommands(context, CommandAccess.Parse(setting.Level)), logger, setting.Path);
        server._acceptLoop = server.AcceptAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        if (_path is not null)
        {
            File.Delete(_path);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var interactive = false;
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                if (line.Length > MaxLineLength)
                {
                    return;
                }

                var output = new StringBuilder();
                var quit = false;
                foreach (var command in RuntimeCommands.Split(line))
                {
                    if (command is ["prompt"])
                    {
                        interactive = !interactive;
                    }
                    else if (command is ["quit"])
                    {
                        quit = true;
                        break;
                    }
                    else if (command.Count > 0 || !interactive)
                    {
                        output.Append(_commands.Execute(command));
                    }

                    output.Append('\n');
                }

                if (interactive && !quit)
                {
                    output.Append("> ");
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(output.ToString()), _stopping.Token);
                if (!interactive || quit)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            RuntimeApiLog.ConnectionFailed(_logger, ex);
        }
    }
}

internal static partial class RuntimeApiLog
{
    [LoggerMessage(EventId = 2901, Level = LogLevel.Debug, Message = "Runtime API connection ended with an error")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);
}
