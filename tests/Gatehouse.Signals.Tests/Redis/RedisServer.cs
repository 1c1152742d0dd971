using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Signals.Tests.Redis;

/// <summary>
/// A redis-server process that a test starts on a free loopback port, without persistence, and stops by its
/// process id. A missing redis-server fails the test: CI installs the Debian package.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(15);
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string[] extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port; <paramref name="extraArguments"/> are added to its command line.</summary>
    public static RedisServer Start(params string[] extraArguments)
    {
        var executable = FindExecutable();
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort(), extraArguments);
            if (server.TryStart(executable, out var output))
            {
                return server;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException($"redis-server failed to start after {attempt} ports. Last output:\n{output}");
            }
        }
    }

    /// <summary>Kills the server by its process id and waits until it has exited.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, retrying while the port is still being released.</summary>
    public void Restart()
    {
        Kill();
        var executable = FindExecutable();
        var deadline = DateTime.UtcNow + StartDeadline;
        var output = "";
        while (DateTime.UtcNow < deadline)
        {
            if (TryStart(executable, out output))
            {
                return;
            }
        }

        throw new InvalidOperationException($"redis-server did not restart on port {Port}. Last output:\n{output}");
    }

    public void Dispose() => Kill();

    private static string FindExecutable()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .Prepend("/usr/bin/redis-server");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "redis-server was not found in /usr/bin or on PATH, and the Redis tests need a real server. " +
                "Install it with `apt-get install redis-server` (CI's .ci/run does this).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private bool TryStart(string executable, out string output)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in _extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (Answers())
            {
                output = "";
                return true;
            }

            Thread.Sleep(20);
        }

        Kill();
        lock (log)
        {
            output = log.ToString();
        }

        return false;
    }

    private static void Append(StringBuilder log, string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    // Any RESP reply to PING, +PONG or a -NOAUTH error, shows that the server is accepting commands.
    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var first = stream.ReadByte();
            return first is '+' or '-';
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }
}
