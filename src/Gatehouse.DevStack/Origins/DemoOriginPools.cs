using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Gatehouse.DevStack.Origins;

/// <summary>
/// The demo origin pools <c>gatehouse up</c> starts: public (public1, public2), staff (staff1, staff2) and admin
/// (admin1).
/// </summary>
public static class DemoOriginPools
{
    private static readonly (string Pool, string Server, int FixedPort)[] Layout =
    [
        ("public", "public1", 9101),
        ("public", "public2", 9102),
        ("staff", "staff1", 9111),
        ("staff", "staff2", 9112),
        ("admin", "admin1", 9121),
    ];

    /// <summary>
    /// Starts every demo origin on 127.0.0.1, on the ports 9101, 9102, 9111, 9112 and 9121 when
    /// <paramref name="useFixedPorts"/> is true, else on free ports. If one fails to start, the ones already started
    /// are stopped before the exception propagates.
    /// </summary>
    [SuppressMessage("Design", "CA1068", Justification = "Published parameter order; gatehouse up calls it this way.")]
    public static async Task<IReadOnlyList<DemoOrigin>> StartDefaultAsync(
        ILoggerFactory loggerFactory, CancellationToken ct, bool useFixedPorts)
    {
        var started = new List<DemoOrigin>(Layout.Length);
        try
        {
            foreach (var (pool, server, fixedPort) in Layout)
            {
                var listenAddress = $"127.0.0.1:{(useFixedPorts ? fixedPort : 0)}";
                started.Add(await DemoOrigin.StartAsync(pool, server, listenAddress, loggerFactory, ct));
            }

            return started;
        }
        catch
        {
            foreach (var origin in started)
            {
                await origin.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Builds the variables the balancer configuration uses to address the demo origins:
    /// <c>ORIGIN_{SERVER}</c> (server name in upper case) mapped to <c>127.0.0.1:PORT</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BuildBalancerVariables(IEnumerable<DemoOrigin> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var origin in origins)
        {
            variables.Add($"ORIGIN_{origin.Server.ToUpperInvariant()}", origin.Address.Authority);
        }

        return variables;
    }
}
