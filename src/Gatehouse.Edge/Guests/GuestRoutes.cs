using System.Diagnostics;
using Gatehouse.Edge.Compute.Configuration;
using Gatehouse.Edge.Compute.Runtime;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Logging;
using Gatehouse.Signals.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Guests;

/// <summary>
/// The compiled guests of every guest route. Modules compile once at start, so a missing or invalid wasm
/// stops start-up with the route's file:line. Routes with equal limits share one Wasmtime runtime.
/// </summary>
internal sealed class GuestRoutes : IAsyncDisposable
{
    private readonly Dictionary<EdgeRoute, GuestRunner> _runners = [];
    private readonly List<ComputeRuntime> _runtimes = [];
    private readonly GuestRelay _relay;
    private readonly TimeSpan _balancerTimeout;

    private GuestRoutes(GuestRelay relay, TimeSpan balancerTimeout)
    {
        _relay = relay;
        _balancerTimeout = balancerTimeout;
    }

    /// <summary>Compiles every guest route's module; throws <see cref="EdgeConfigException"/> naming each route that fails.</summary>
    public static GuestRoutes Load(
        EdgeConfig config, GuestRelay relay, GuestSetup setup, ILoggerFactory loggers, ILogger logger)
    {
        var guests = new GuestRoutes(relay, config.BalancerTimeout);
        var errors = new List<string>();
        var runtimes = new Dictionary<ComputeLimits, ComputeRuntime>();
        foreach (var route in config.Routes.Where(route => route.Guest is not null))
        {
            var limits = new ComputeLimits
            {
                CpuTime = route.Guest!.CpuTime,
                HeapBytes = route.Guest.HeapBytes,
                MaxBackendRequests = route.Guest.MaxBackendRequests,
            };
            if (!runtimes.TryGetValue(limits, out var runtime))
            {
                runtime = new ComputeRuntime(limits, setup.CacheDirectory, loggers);
                runtimes[limits] = runtime;
                guests._runtimes.Add(runtime);
            }

            if (!File.Exists(route.Guest.WasmPath))
            {
                errors.Add($"{Path.GetFileName(config.SourcePath)}:{route.Line}: guest route \"{route.Prefix}\": \"{route.Guest.WasmPath}\" "
                    + "not found; build the package first, for example with `npx js-compute-runtime src/index.js bin/main.wasm` in its folder");
                continue;
            }

            try
            {
                var started = Stopwatch.GetTimestamp();
                var module = runtime.Load(route.Guest.WasmPath);
                guests._runners[route] = new GuestRunner(module, Environment(route.Guest, setup));
                EdgeLog.GuestLoaded(logger, route.Prefix, route.Guest.WasmPath, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                errors.Add($"{Path.GetFileName(config.SourcePath)}:{route.Line}: guest route \"{route.Prefix}\": "
                    + $"\"{route.Guest.WasmPath}\" is not a usable guest module: {exception.Message}");
            }
        }

        if (errors.Count > 0)
        {
            guests.DisposeRuntimes();
            throw new EdgeConfigException(errors);
        }

        return guests;
    }

    /// <summary>Runs the route's guest, which writes the response itself; the outcome is for the decision record.</summary>
    public async Task<GuestOutcome> RunAsync(EdgeRoute route, HttpContext context, RelayTicket ticket)
    {
        using var lease = _relay.Open(ticket);
        var balancer = new GuestBackend("balancer", _relay.Address)
        {
            OverrideHost = lease.Host,
            FirstByteTimeout = _balancerTimeout,
        };
        var info = new GuestRequestContext
        {
            ClientAddress = context.Connection.RemoteIpAddress,
            ServerAddress = context.Connection.LocalIpAddress,
            RequestId = ticket.RequestId,
            Backends = new Dictionary<string, GuestBackend>(StringComparer.Ordinal) { ["balancer"] = balancer },
        };
        return await _runners[route].RunAsync(context, info, context.RequestAborted);
    }

    /// <summary>
    /// The package's environment from its fastly.toml, rebuilt with the edge's rate counter and penalty box
    /// behind the guest's <c>fastly_erl</c> calls.
    /// </summary>
    private static GuestEnvironment Environment(GuestRoute guest, GuestSetup setup)
    {
        var loaded = guest.FastlyTomlPath is null ? new GuestEnvironment() : FastlyToml.Load(guest.FastlyTomlPath);
        var environment = new GuestEnvironment
        {
            TimeProvider = setup.Time,
            RateCounterFactory = name => new SharedRateCounter(setup.RateCounter, $"guest:{name}:"),
            PenaltyBoxFactory = name => new SharedPenaltyBox(setup.PenaltyBox, $"guest:{name}:"),
        };
        Copy(loaded.Backends, environment.Backends);
        Copy(loaded.ConfigStores, environment.ConfigStores);
        Copy(loaded.SecretStores, environment.SecretStores);
        Copy(loaded.KvStores, environment.KvStores);
        Copy(loaded.Variables, environment.Variables);
        return environment;
    }

    private static void Copy<T>(IDictionary<string, T> from, IDictionary<string, T> to)
    {
        foreach (var (name, value) in from)
        {
            to[name] = value;
        }
    }

    private void DisposeRuntimes()
    {
        foreach (var runner in _runners.Values)
        {
            runner.Dispose();
        }

        foreach (var runtime in _runtimes)
        {
            runtime.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        DisposeRuntimes();
    }
}

/// <summary>What guest routes take from the edge host.</summary>
internal sealed record GuestSetup(IRateCounter RateCounter, IPenaltyBox PenaltyBox, string? CacheDirectory, TimeProvider Time);
