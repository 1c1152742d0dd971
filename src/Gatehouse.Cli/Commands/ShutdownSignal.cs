using System.Runtime.InteropServices;

namespace Gatehouse.Cli.Commands;

/// <summary>
/// Turns SIGINT and SIGTERM into a cancellation token for long-running commands. The embedded ASP.NET
/// Core hosts each register a console lifetime that consumes these signals, so the command registers
/// its own handlers instead of relying on the default process exit.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal(CancellationToken commandToken)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(commandToken);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Waits until a shutdown signal arrives or the command is cancelled.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _source.Token);
        }
        catch (OperationCanceledException)
        {
            // A signal or the command's own cancellation: both mean stop.
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive until the stack has stopped and flushed its decision records.
        context.Cancel = true;
        _source.Cancel();
    }
}
