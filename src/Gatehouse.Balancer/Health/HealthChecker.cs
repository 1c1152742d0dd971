using Gatehouse.Balancer.LoadBalancing;
using Gatehouse.Balancer.Runtime;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Health;

/// <summary>Checks every `check` server of one backend in the background, from <see cref="Start"/> until disposed.</summary>
internal sealed class HealthChecker : IAsyncDisposable
{
    private readonly BackendPool _backend;
    private readonly ServerState[] _checked;
    private readonly CheckProbe _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];

    public HealthChecker(BackendPool backend, TimeProvider time, ILogger logger)
    {
        _backend = backend;
        _checked = [.. backend.Servers.Where(server => server.Config.Check is not null)];
        _probe = new CheckProbe(backend.Config.Settings);
        _time = time;
        _logger = logger;
    }

    public void Start()
    {
        _loops = [.. _checked.Select(server => Task.Run(() => RunAsync(server, _stop.Token)))];
        BalancerLog.ChecksStarted(_logger, _backend.Name, _checked.Length);
    }

    private async Task RunAsync(ServerState server, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // A server in maintenance is not probed, as in HAProxy; its health stays where it was.
            if (server.IsChecked)
            {
                var result = await _probe.RunAsync(server, ct);
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                Record(server, result);
            }

            try
            {
                await WaitForNextCheckAsync(server, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits the interval <see cref="ServerState.NextCheckInterval"/> returns, cut short to `fastinter` when
    /// passive health asks for a check sooner, as HAProxy reschedules a check after `on-error`.
    /// </summary>
    private async Task WaitForNextCheckAsync(ServerState server, CancellationToken ct)
    {
        var interval = server.NextCheckInterval();
        var started = _time.GetTimestamp();
        var fastCheck = server.FastCheckRequested;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(interval, _time, wake.Token);
        if (await Task.WhenAny(delay, fastCheck) == delay)
        {
            await delay;
            return;
        }

        await wake.CancelAsync();
        server.ResetFastCheck();
        var remaining = interval - _time.GetElapsedTime(started);
        var fast = server.Config.Check!.FastInterval;
        var wait = fast < remaining ? fast : remaining;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, ct);
        }
    }

    private void Record(ServerState server, CheckResult result)
    {
        switch (server.RecordCheck(result.Passed))
        {
            case true:
                ReportUp(server, result);
                _backend.DispatchAll();
                break;
            case false:
                ReportDown(server, result);
                break;
        }
    }

    private void ReportUp(ServerState server, CheckResult result)
    {
        var (active, backup) = CountEligible();
        BalancerLog.ServerUp(_logger, _backend.Name, server.Name, result.Reason, result.DurationMs, active, backup, _backend.Queue.Count);
    }

    private void ReportDown(ServerState server, CheckResult result)
    {
        var (active, backup) = CountEligible();
        BalancerLog.ServerDown(_logger, _backend.Name, server.Name, result.Reason, result.DurationMs, active, backup, _backend.Queue.Count);
        if (active + backup == 0)
        {
            BalancerLog.BackendDown(_logger, _backend.Name);
        }
    }

    private (int Active, int Backup) CountEligible() => (
        _backend.Servers.Count(server => server.IsEligible && !server.Config.Backup),
        _backend.Servers.Count(server => server.IsEligible && server.Config.Backup));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // Stopping cancels a check in flight; nothing is left to report.
        }

        _probe.Dispose();
        _stop.Dispose();
    }
}
