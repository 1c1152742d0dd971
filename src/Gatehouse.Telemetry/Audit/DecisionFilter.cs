using System.Net;

namespace Gatehouse.Telemetry.Audit;

/// <summary>
/// Conditions of <c>gatehouse audit show</c>. A request matches when each set condition is met by at least
/// one of its records, so <c>--subject</c> can match the edge record and <c>--decision</c> the balancer's.
/// </summary>
public sealed class DecisionFilter
{
    public string? RequestId { get; init; }

    public string? Subject { get; init; }

    /// <summary>A client address, or a network in CIDR notation such as <c>10.0.0.0/8</c>.</summary>
    public string? Client { get; init; }

    /// <summary>Earliest record time to include.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The action, such as deny or forward; compared without regard to case.</summary>
    public string? Decision { get; init; }

    public bool Matches(IReadOnlyList<Decisions.DecisionRecord> records) =>
        (RequestId is null || records.Any(r => r.RequestId == RequestId))
        && (Subject is null || records.Any(r => r.Subject == Subject))
        && (Client is null || records.Any(r => MatchesClient(r.Client)))
        && (Since is null || records.Any(r => r.Time >= Since))
        && (Decision is null || records.Any(r => string.Equals(r.Decision, Decision, StringComparison.OrdinalIgnoreCase)));

    private bool MatchesClient(string? client)
    {
        if (client is null)
        {
            return false;
        }

        if (string.Equals(client, Client, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPNetwork.TryParse(Client, out var network)
            && IPAddress.TryParse(client, out var address)
            && network.Contains(address);
    }
}
