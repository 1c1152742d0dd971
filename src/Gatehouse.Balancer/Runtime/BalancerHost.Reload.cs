using Gatehouse.Balancer.Configuration;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Runtime;

public sealed partial class BalancerHost
{
    /// <summary>
    /// Swaps in <paramref name="newConfig"/>: new requests use it, requests already running finish on the
    /// old configuration, and the old health checkers stop. Listeners and Kestrel limits (maxconn, timeouts)
    /// stay as they were started.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The frontends or their binds differ from the running ones, or a frontend needs a verifier factory
    /// that was not given. The old configuration stays in place.
    /// </exception>
    public async Task ReloadAsync(BalancerConfig newConfig, CancellationToken ct)
    {
        await _reloadLock.WaitAsync(ct);
        try
        {
            var current = _pipeline.State;
            if (RoutingState.FindBindChange(current.Config, newConfig) is { } change)
            {
                throw new InvalidOperationException($"Reload rejected, binds cannot change without a restart: {change}.");
            }

            var next = RoutingState.Build(
                newConfig, frontend => CreateVerifier(frontend, _options), timeout => GetInvoker(_invokers, timeout), _options.TimeProvider, _logger,
                current.StickTables);
            // NOTE: servers start with fresh health and connection counts, and requests queued in the old pools stay there.
            // Stick tables whose definition is unchanged carry over with their entries; the others start empty.
            next.StartChecks();
            var old = _pipeline.Swap(next);
            BalancerLog.Reloaded(_logger, next.Frontends.Count, next.Backends.Count, newConfig.Backends.Sum(backend => backend.Servers.Count));
            await old.StopChecksAsync();
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>
    /// Loads <paramref name="paths"/> and reloads them. On any error, logs it (each configuration error
    /// with its FILE:LINE), keeps the running configuration and returns false.
    /// </summary>
    public async Task<bool> ReloadFilesAsync(IReadOnlyList<string> paths, CancellationToken ct)
    {
        try
        {
            await ReloadAsync(BalancerConfigLoader.Load(paths), ct);
            return true;
        }
        catch (ConfigException exception)
        {
            foreach (var error in exception.Errors)
            {
                BalancerLog.ReloadConfigError(_logger, error);
            }

            BalancerLog.ReloadFailed(_logger, $"invalid configuration in {string.Join(", ", paths)}, see the errors logged above");
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            BalancerLog.ReloadFailed(_logger, exception.Message);
        }

        return false;
    }
}
