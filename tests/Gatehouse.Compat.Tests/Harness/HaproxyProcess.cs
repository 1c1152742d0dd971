using System.Diagnostics;
using System.Text;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>
/// A real HAProxy started in the foreground (`-db`) on a temporary copy of the configuration. Dispose kills
/// that one child process by its id and deletes the temporary directory.
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output;

    private HaproxyProcess(Process process, string directory, StringBuilder output, int port)
    {
        _process = process;
        _directory = directory;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Writes <paramref name="config"/> to a temporary haproxy.cfg and starts HAProxy with
    /// <paramref name="environment"/> plus FE_PORT set to a reserved loopback port, then waits until that
    /// port accepts connections.
    /// </summary>
    public static async Task<HaproxyProcess> StartAsync(string config, IReadOnlyDictionary<string, string> environment)
    {
        HaproxyBinary.Require();
        var directory = Directory.CreateTempSubdirectory("gatehouse-compat-").FullName;
        var path = System.IO.Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(path, config);

        var port = LoopbackPorts.Reserve();
        var start = new ProcessStartInfo(HaproxyBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-f", path, "-db" },
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["FE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var haproxy = new HaproxyProcess(process, directory, output, port);
        if (!await LoopbackPorts.WaitUntilAcceptingAsync(port, TimeSpan.FromSeconds(10), () => !process.HasExited))
        {
            await haproxy.DisposeAsync();
            throw new InvalidOperationException($"HAProxy did not accept connections on 127.0.0.1:{port}. Output:\n{haproxy.Output}");
        }

        return haproxy;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // The process has already exited, for example after rejecting its configuration.
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
