using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>One `balance` algorithm over a fixed list of servers.</summary>
internal interface ILoadBalancer
{
    /// <summary>Returns a usable server, or null when none is usable.</summary>
    ServerState? Select(SampleContext context);
}

internal static class LoadBalancers
{
    public static ILoadBalancer Create(ProxySettings settings, ServerState[] servers) => settings.Balance switch
    {
        BalanceAlgorithm.Uri or BalanceAlgorithm.UrlParameter or BalanceAlgorithm.Header =>
            new HashBalancer(servers, HashKeys.For(settings), settings.HashFunction, settings.ConsistentHash),
        BalanceAlgorithm.RoundRobin => new RoundRobinBalancer(servers),
        BalanceAlgorithm.StaticRoundRobin => new StaticRoundRobinBalancer(servers),
        BalanceAlgorithm.LeastConnections => new LeastConnectionsBalancer(servers),
        BalanceAlgorithm.First => new FirstAvailableBalancer(servers),
        BalanceAlgorithm.Random => new RandomBalancer(servers),
        _ => new SourceHashBalancer(servers),
    };
}
