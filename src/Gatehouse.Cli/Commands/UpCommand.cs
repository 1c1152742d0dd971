using System.CommandLine;
using System.Net.Sockets;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Cli.Stack;
using Gatehouse.Edge.Configuration;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse up</c>: runs the whole demo stack on loopback until Ctrl-C.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Edge port on 127.0.0.1.", DefaultValueFactory = _ => 8080 };
        var runDir = new Option<string>("--run-dir")
        {
            Description = "Folder for keys, decision records and state (default: .gatehouse under the current directory).",
            DefaultValueFactory = _ => RunFolder.DefaultRoot,
        };
        var configDir = new Option<string?>("--config-dir")
        {
            Description = "Folder with haproxy.cfg, edge.toml and static/ (default: the repository's examples/).",
        };
        var freePorts = new Option<bool>("--free-ports")
        {
            Description = "Let every part pick a free loopback port instead of the fixed defaults; the banner and run/state.json list them.",
        };
        var tls = new Option<bool>("--tls")
        {
            Description = "Also serve HTTPS on 127.0.0.1:8443 (a free port with --free-ports) with a certificate from a development CA kept in RUN-DIR/tls.",
        };
        var command = new Command("up", "Start the edge, balancer, dev OIDC issuer and demo origins on loopback.")
        {
            port, runDir, configDir, freePorts, tls,
        };
        command.SetAction((result, cancellationToken) =>
        {
            // With --free-ports an explicit --port still fixes the edge's port.
            var edgePort = result.GetValue(freePorts) && result.GetResult(port) is not { Implicit: false } ? 0 : result.GetValue(port);
            int? tlsPort = !result.GetValue(tls) ? null : result.GetValue(freePorts) ? 0 : 8443;
            var options = BuildOptions(edgePort, result.GetValue(runDir)!, result.GetValue(configDir), result.GetValue(freePorts), tlsPort);
            return RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static string DevTlsBanner(DemoStack stack, DevCertificates devTls)
    {
        var https = stack.Edge.Addresses.First(address => address.Scheme == Uri.UriSchemeHttps).ToString().TrimEnd('/');
        return $"""

            HTTPS (HTTP/2 and HTTP/1.1) with a development CA that no system trusts:
              edge        {https}
              CA          {devTls.CaPath}
              curl --cacert {devTls.CaPath} {https}/api/public/hello
            """;
    }

    private static StackOptions BuildOptions(int port, string runDir, string? configDir, bool freePorts, int? tlsPort)
    {
        var configDirectory = configDir ?? CliLogging.FindExamples() ?? string.Empty;
        var runFolder = new RunFolder(runDir);
        if (!freePorts)
        {
            return new StackOptions { ConfigDirectory = configDirectory, RunFolder = runFolder, EdgePort = port, TlsPort = tlsPort };
        }

        return new StackOptions
        {
            ConfigDirectory = configDirectory,
            RunFolder = runFolder,
            EdgePort = port,
            BalancerBind = "127.0.0.1:0",
            StatsBind = "127.0.0.1:0",
            EdgeMetricsListen = "127.0.0.1:0",
            IssuerListen = "127.0.0.1:0",
            FixedOriginPorts = false,
            TlsPort = tlsPort,
        };
    }

    private static async Task<int> RunAsync(StackOptions options, CancellationToken cancellationToken)
    {
        if (options.ConfigDirectory.Length == 0)
        {
            await Console.Error.WriteLineAsync("examples/haproxy.cfg and examples/edge.toml not found; run from the repository or pass --config-dir");
            return 2;
        }

        using var shutdown = new ShutdownSignal(cancellationToken);
        using var loggers = CliLogging.Create();
        var runFolder = options.RunFolder;
        using var runLock = runFolder.TryLock();
        if (runLock is null)
        {
            var owner = runFolder.ReadState()?.ProcessId;
            await Console.Error.WriteLineAsync(
                $"run folder {runFolder.Root} is in use by another gatehouse up{(owner is null ? string.Empty : $" (pid {owner})")}; stop it or pass --run-dir");
            return 1;
        }

        DemoStack stack;
        try
        {
            stack = await DemoStack.StartAsync(options, loggers, shutdown.Token);
        }
        catch (Exception exception) when (exception is ConfigException or EdgeConfigException or StackConfigException)
        {
            await Console.Error.WriteLineAsync($"configuration error:{Environment.NewLine}{exception.Message}");
            return 1;
        }
        catch (IOException exception) when (exception.InnerException is SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"cannot listen: {exception.Message}; stop whatever uses the port or choose another with --port");
            return 1;
        }

        await using (stack)
        {
            var edgeMetrics = stack.EdgeMetricsAddress is { } metrics ? new Uri(metrics, stack.Edge.MetricsPath).ToString() : null;
            runFolder.WriteState(new StackState(
                stack.Edge.Address.ToString(), stack.BalancerAddress.ToString(), stack.Issuer.IssuerUri.ToString(), Environment.ProcessId, edgeMetrics));
            Console.WriteLine(Banner.Render(stack));
            if (stack.DevTls is { } devTls)
            {
                Console.WriteLine(DevTlsBanner(stack, devTls));
            }

            await shutdown.WaitAsync();
            Console.WriteLine("stopping…");

            runFolder.DeleteState();
        }

        return 0;
    }
}
