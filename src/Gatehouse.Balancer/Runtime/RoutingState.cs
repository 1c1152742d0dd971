using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Health;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Everything a request needs from one configuration: frontends, backends and their health checkers.
/// A reload builds a new one and swaps it in whole, so a request never mixes two configurations.
/// </summary>
internal sealed class RoutingState
{
    private RoutingState(
        BalancerConfig config, Dictionary<string, FrontendRuntime> frontends, Dictionary<string, BackendPool> backends, List<HealthChecker> checkers,
        StickTableRegistry stickTables)
    {
        Config = config;
        StickTables = stickTables;
        Frontends = frontends;
        Backends = backends;
        Checkers = checkers;
    }

    public BalancerConfig Config { get; }

    public IReadOnlyDictionary<string, FrontendRuntime> Frontends { get; }

    public IReadOnlyDictionary<string, BackendPool> Backends { get; }

    public IReadOnlyList<HealthChecker> Checkers { get; }

    /// <summary>The configuration's stick tables; empty when it declares none.</summary>
    public StickTableRegistry StickTables { get; }

    /// <summary>True when the configuration declares a stick table, so requests need per-request stick state.</summary>
    public bool HasStickTables => StickTables.Tables.Count > 0;

    /// <summary>Builds the state without starting anything, so a failure leaves nothing to clean up.</summary>
    public static RoutingState Build(
        BalancerConfig config, Func<FrontendConfig, Trust.Assertions.IEdgeAssertionVerifier?> verifiers,
        Func<TimeSpan?, HttpMessageInvoker> invokers, TimeProvider time, Microsoft.Extensions.Logging.ILogger logger,
        StickTableRegistry? previousTables = null)
    {
        var frontends = config.Frontends.ToDictionary(
            frontend => frontend.Name, frontend => new FrontendRuntime(frontend, verifiers(frontend)), StringComparer.Ordinal);
        var backends = config.Backends.ToDictionary(
            backend => backend.Name,
            backend => new BackendPool(backend, invokers(backend.Settings.ConnectTimeout)),
            StringComparer.Ordinal);
        var checkers = backends.Values
            .Where(backend => backend.Servers.Any(server => server.Config.Check is not null))
            .Select(backend => new HealthChecker(backend, time, logger))
            .ToList();
        var stickTables = new StickTableRegistry(config.StickTables, time, previousTables, logger);
        return new RoutingState(config, frontends, backends, checkers, stickTables);
    }

    /// <summary>Describes the first frontend whose binds differ between the two configurations, or returns null when all match.</summary>
    public static string? FindBindChange(BalancerConfig running, BalancerConfig reloaded)
    {
        var remaining = reloaded.Frontends.ToDictionary(frontend => frontend.Name, StringComparer.Ordinal);
        foreach (var frontend in running.Frontends)
        {
            if (!remaining.Remove(frontend.Name, out var candidate))
            {
                return $"frontend '{frontend.Name}' (binds {FormatBinds(frontend.Binds)}) is missing from the new configuration";
            }

            var oldBinds = FormatBinds(frontend.Binds);
            var newBinds = FormatBinds(candidate.Binds);
            if (oldBinds != newBinds)
            {
                var location = candidate.Binds.Count > 0 ? candidate.Binds[0].Location : candidate.Location;
                return $"frontend '{frontend.Name}' binds {newBinds} at {location}, but the running balancer binds {oldBinds}";
            }
        }

        return remaining.Values.FirstOrDefault() is { } added
            ? $"frontend '{added.Name}' (binds {FormatBinds(added.Binds)}) is new"
            : null;
    }

    /// <summary>Starts the health checks and the stick tables' purge timer.</summary>
    public void StartChecks()
    {
        StickTables.Start();
        foreach (var checker in Checkers)
        {
            checker.Start();
        }
    }

    public async ValueTask StopChecksAsync()
    {
        foreach (var checker in Checkers)
        {
            await checker.DisposeAsync();
        }

        // Tables kept by a reload live on in the next registry; only this registry's purge timer stops.
        await StickTables.DisposeAsync();
    }

    private static string FormatBinds(IReadOnlyList<BindAddress> binds) =>
        binds.Count == 0 ? "nothing" : string.Join(", ", binds.Select(bind => $"{bind.Host ?? "*"}:{bind.Port}{(bind.Tls is null ? "" : " ssl")}"));
}
