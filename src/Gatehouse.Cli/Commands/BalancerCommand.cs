using System.CommandLine;
using System.Runtime.InteropServices;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// <c>gatehouse balancer -f FILE...</c>: runs the balancer alone, as <c>haproxy -f</c> does. SIGHUP reloads
/// the files; a reload with errors logs them and keeps the running configuration.
/// </summary>
internal static class BalancerCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("-f") { Description = "haproxy.cfg file(s), read in order.", Required = true };
        var records = new Option<string?>("--records") { Description = "JSON-lines file for decision records (default: console only)." };
        var command = new Command("balancer", "Run the balancer alone on haproxy.cfg files.") { files, records };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(files)!, result.GetValue(records), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] files, string? records, CancellationToken cancellationToken)
    {
        BalancerConfig config;
        try
        {
            config = BalancerConfigLoader.Load(files);
        }
        catch (ConfigException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }

        using var shutdown = new ShutdownSignal(cancellationToken);
        using var loggers = CliLogging.Create();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // --records adds a file to the gatehouse-decisions destinations of the configuration.
        await using var decisions = DecisionLog.Create(config.Decisions, loggers.CreateLogger("Gatehouse.Balancer.Decisions"), records);
        await using var host = await BalancerHost.StartAsync(config, new BalancerHostOptions
        {
            LoggerFactory = loggers,
            DecisionSink = decisions,
            AssertionVerifierFactory = url => new JwksAssertionVerifier(
                new HttpJwksSource(url, http), TimeProvider.System, loggers.CreateLogger("Gatehouse.Balancer.Assertions")),
        }, shutdown.Token);
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // SIGHUP ends the process by default, so cancel that and reload instead.
            context.Cancel = true;
            _ = ReloadAsync(host, files, shutdown.Token);
        });
        await shutdown.WaitAsync();
        Console.WriteLine("stopping…");

        return 0;
    }

    private static async Task ReloadAsync(BalancerHost host, string[] files, CancellationToken ct)
    {
        try
        {
            // The host logs the outcome, including every FILE:LINE error of a rejected reload.
            await host.ReloadFilesAsync(files, ct);
        }
        catch (OperationCanceledException)
        {
            // The command is shutting down, so the reload no longer matters.
        }
    }
}
