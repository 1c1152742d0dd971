using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>
/// The real Debian HAProxy (/usr/sbin/haproxy), started by a test on a loopback port with a runtime API socket
/// in a temporary folder, and stopped by its process id. A missing haproxy fails the test.
/// </summary>
internal sealed class HaproxyProcess : IDisposable
{
    private const string Executable = "/usr/sbin/haproxy";
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private HaproxyProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Path of the runtime API socket.</summary>
    public string SocketPath => Path.Combine(_folder, "admin.sock");

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>
    /// Starts HAProxy with <paramref name="frontendLines"/> inside a frontend named <c>web</c> that listens
    /// on a free loopback port and answers every request itself with 200.
    /// </summary>
    public static async Task<HaproxyProcess> StartAsync(string frontendLines)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} not found; install it with `apt-get install haproxy`");
        }

        var folder = Path.Combine(Path.GetTempPath(), "gh-haproxy-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var config = $"""
            global
                stats socket {folder}/admin.sock mode 600 level admin

            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s

            frontend web
                bind 127.0.0.1:{port}
            {frontendLines}
                http-request return status 200 content-type text/plain string "haproxy ok"

            """;
        var configPath = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-db");
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(configPath);
        var process = new Process { StartInfo = start };
        var haproxy = new HaproxyProcess(process, folder, port);
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await haproxy.WaitUntilReadyAsync();
        return haproxy;
    }

    /// <summary>Sends one runtime API command and returns the reply.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (File.Exists(SocketPath) && Listens())
            {
                return;
            }

            await Task.Delay(20);
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Dispose();
        throw new InvalidOperationException($"haproxy did not start. Output:\n{output}");
    }

    private bool Listens()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
