using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Tests.LoadBalancing;

/// <summary>
/// Server order per algorithm. The expected sequences were recorded from HAProxy 2.6.12 with the same weights,
/// one request per line of a fresh process.
/// </summary>
public sealed class BalancerOrderTests
{
    private static ServerState[] Servers(params int[] weights) =>
        [.. weights.Select((weight, i) => new ServerState(new ServerConfig($"s{i + 1}", "127.0.0.1", 9000 + i, weight, null, false, false, default)))];

    private static SampleContext Request(string target, string? header = null)
    {
        var http = new DefaultHttpContext();
        if (header is not null)
        {
            http.Request.Headers["X-User"] = header;
        }

        return new SampleContext(http, target);
    }

    private static string Sequence(ILoadBalancer balancer, int count, Func<int, string>? target = null) =>
        string.Join(" ", Enumerable.Range(1, count).Select(i => balancer.Select(Request(target?.Invoke(i) ?? $"/r{i}"))!.Name));

    private static ILoadBalancer Create(string balance, ServerState[] servers, Action<ProxySettings>? configure = null)
    {
        var config = BalancerConfigLoader.Parse(
            $"backend b\n    {balance}\n    server s1 127.0.0.1:9000\n", "t.cfg", new Dictionary<string, string>());
        var settings = config.Backends[0].Settings;
        configure?.Invoke(settings);
        return LoadBalancers.Create(settings, servers);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, "s3 s2 s3 s1 s3 s2 s3 s2 s3 s1 s3 s2")]
    [InlineData(new[] { 1, 2 }, "s2 s2 s1 s2 s2 s1")]
    [InlineData(new[] { 5, 1, 1 }, "s1 s1 s1 s2 s1 s1 s3 s1 s1 s1 s2 s1 s1 s3")]
    [InlineData(new[] { 1, 1, 1 }, "s1 s2 s3 s1 s2 s3")]
    public void RoundRobin_Weights_MatchHaproxyOrder(int[] weights, string expected)
    {
        var balancer = new RoundRobinBalancer(Servers(weights));

        Assert.Equal(expected, Sequence(balancer, expected.Split(' ').Length));
    }

    [Fact]
    public void RoundRobin_ServerAtMaxconn_PassedOver()
    {
        var servers = new[]
        {
            new ServerState(new ServerConfig("s1", "127.0.0.1", 9000, 1, 1, false, false, default)),
            new ServerState(new ServerConfig("s2", "127.0.0.1", 9001, 1, null, false, false, default)),
        };
        var balancer = new RoundRobinBalancer(servers);
        Assert.True(servers[0].TryEnter());

        Assert.Equal("s2 s2 s2", Sequence(balancer, 3));
    }

    [Fact]
    public void StaticRoundRobin_Weights_MatchHaproxyOrder()
    {
        var balancer = new StaticRoundRobinBalancer(Servers(1, 2, 3));

        Assert.Equal("s1 s3 s2 s3 s2 s3 s1 s3 s2 s3 s2 s3", Sequence(balancer, 12));
    }

    [Fact]
    public void WeightMap_CommonDivisor_Removed()
    {
        var table = WeightMap.Build(Servers(2, 4, 6));

        Assert.Equal("s1 s3 s2 s3 s2 s3", string.Join(" ", table.Select(server => server.Name)));
    }

    [Fact]
    public void HashFunctions_KnownValues_Match()
    {
        Assert.Equal(3083250u, HashFunctions.Hash(HashFunction.Sdbm, "/a"));
        Assert.Equal(5861557u, HashFunctions.Hash(HashFunction.Djb2, "/a"));
    }

    [Fact]
    public void BalanceUri_MapBased_MatchesHaproxyServers()
    {
        var balancer = Create("balance uri", Servers(1, 1, 1));
        string[] paths = ["/u/a", "/u/b", "/u/c", "/u/d", "/u/a?x=1", "/ua", "/u/e", "/u/f"];

        Assert.Equal("s2 s3 s1 s2 s2 s2 s3 s1", Sequence(balancer, paths.Length, i => paths[i - 1]));
    }

    [Fact]
    public void BalanceUri_Weighted_MatchesHaproxyServers()
    {
        var balancer = Create("balance uri", Servers(1, 2, 3));

        Assert.Equal("s3 s2 s3 s1 s3 s2 s3 s2 s3 s3 s1 s3", Sequence(balancer, 12, i => $"/w{i}"));
    }

    [Fact]
    public void BalanceUrlParam_Missing_FallsBackToRoundRobin()
    {
        var balancer = Create("balance url_param user", Servers(1, 1));

        Assert.Equal("s1 s2 s1", Sequence(balancer, 3, i => $"/p{i}"));
    }

    [Fact]
    public void BalanceUrlParam_SameValue_SameServer()
    {
        var balancer = Create("balance url_param user", Servers(1, 1, 1, 1));

        var first = balancer.Select(Request("/a?user=alice"))!.Name;
        var second = balancer.Select(Request("/b?x=1&user=alice"))!.Name;

        Assert.Equal(first, second);
    }

    [Fact]
    public void BalanceHeader_SameValue_SameServer()
    {
        var balancer = Create("balance hdr(x-user)", Servers(1, 1, 1, 1));

        var first = balancer.Select(Request("/a", "alice"))!.Name;
        var second = balancer.Select(Request("/b", "alice"))!.Name;

        Assert.Equal(first, second);
    }

    [Fact]
    public void ConsistentHash_DisabledServer_MovesOnlyItsKeys()
    {
        var servers = Servers(1, 1, 1);
        var balancer = Create("balance uri\n    hash-type consistent", servers);
        var before = Enumerable.Range(0, 60).Select(i => balancer.Select(Request($"/k{i}"))!.Name).ToArray();
        servers[1] = new ServerState(servers[1].Config with { Disabled = true });
        var reduced = Create("balance uri\n    hash-type consistent", servers);

        var after = Enumerable.Range(0, 60).Select(i => reduced.Select(Request($"/k{i}"))!.Name).ToArray();

        Assert.Contains("s2", before);
        Assert.DoesNotContain("s2", after);
        Assert.All(Enumerable.Range(0, 60).Where(i => before[i] != "s2"), i => Assert.Equal(before[i], after[i]));
    }
}
