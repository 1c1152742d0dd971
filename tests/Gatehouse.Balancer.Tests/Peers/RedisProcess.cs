using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Balancer.Tests.Peers;

/// <summary>
/// A redis-server without persistence on a free loopback port, started by the test and stopped by its process id.
/// A missing redis-server fails the test, because sharing is only meaningful against the real server.
/// </summary>
internal sealed class RedisProcess : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);
    private Process? _process;

    private RedisProcess(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public static RedisProcess Start()
    {
        var redis = new RedisProcess(FreePort());
        redis.Launch();
        return redis;
    }

    /// <summary>Kills the server and waits for it to exit.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, retrying while the port is being released.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    public void Dispose() => Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Launch()
    {
        const string executable = "/usr/bin/redis-server";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException("redis-server was not found at /usr/bin/redis-server; install the Debian package redis-server.");
        }

        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (WaitUntilAnswering())
            {
                return;
            }

            Stop();
            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"redis-server did not start on port {Port} within {StartDeadline.TotalSeconds} s");
    }

    private bool WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && _process is { HasExited: false })
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.ReadTimeout = 1000;
                stream.Write("PING\r\n"u8);
                if (stream.ReadByte() == '+')
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                // Not listening yet.
            }

            Thread.Sleep(20);
        }

        return false;
    }
}
