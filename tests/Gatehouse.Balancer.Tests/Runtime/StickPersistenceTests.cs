using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class StickPersistenceTests
{
    private static string Config(EchoOrigin one, EchoOrigin two, string stickLines) => $$"""
        frontend fe
            bind 127.0.0.1:0
            default_backend be
        backend be
            balance roundrobin
            stick-table type string len 32 size 1k expire 1m
            {{stickLines}}
            server s1 {{one.Address}}
            server s2 {{two.Address}}
        """;

    private static async Task<string> OriginForAsync(BalancerTestHost balancer, string user)
    {
        using var request = Get("/");
        request.Headers.Add("X-User", user);
        using var response = await balancer.SendAsync(request);
        return (await EchoReply.ReadAsync(response)).Origin;
    }

    [Fact]
    public async Task StickOn_SameKey_ReachesSameServer()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "stick on req.hdr(x-user)"));

        var first = await OriginForAsync(balancer, "alice");
        var other = await OriginForAsync(balancer, "bob");
        var again = await OriginForAsync(balancer, "alice");
        var bobAgain = await OriginForAsync(balancer, "bob");

        Assert.Equal("one", first);
        Assert.Equal("two", other);
        Assert.Equal("one", again);
        Assert.Equal("two", bobAgain);
    }

    [Fact]
    public async Task StickOn_StoresServerId()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "stick on req.hdr(x-user)"));

        await OriginForAsync(balancer, "alice");
        await OriginForAsync(balancer, "bob");

        var table = balancer.Host.StickTables.Find("be")!;
        Assert.True(table.Stores(StickDataType.ServerId));
        Assert.Equal(2, table.Read(table.Lookup("bob")!, StickDataType.ServerId));
    }

    [Fact]
    public async Task StickMatch_WithoutStore_Balances()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "stick match req.hdr(x-user)"));

        var first = await OriginForAsync(balancer, "alice");
        var second = await OriginForAsync(balancer, "alice");

        Assert.Equal("one", first);
        Assert.Equal("two", second);
        Assert.Equal(0, balancer.Host.StickTables.Find("be")!.Count);
    }

    [Fact]
    public async Task StickOn_ServerInMaintenance_Rebalanced()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "stick on req.hdr(x-user)"));
        await OriginForAsync(balancer, "alice");

        balancer.Host.State.Backends["be"].Servers[0].SetAdminState(Balancer.LoadBalancing.ServerAdminState.Maintenance);
        var moved = await OriginForAsync(balancer, "alice");

        Assert.Equal("two", moved);
    }

    [Fact]
    public async Task StickOn_DrainingServer_KeepsPersistedClient()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(one, two, "stick on req.hdr(x-user)"));
        await OriginForAsync(balancer, "alice");

        balancer.Host.State.Backends["be"].Servers[0].SetAdminState(Balancer.LoadBalancing.ServerAdminState.Drain);
        var persisted = await OriginForAsync(balancer, "alice");
        var fresh = await OriginForAsync(balancer, "carol");
        var fresh2 = await OriginForAsync(balancer, "dave");

        Assert.Equal("one", persisted);
        Assert.Equal("two", fresh);
        Assert.Equal("two", fresh2);
    }

    [Fact]
    public void Stick_InFrontend_Rejected()
    {
        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            "frontend fe\n    bind 127.0.0.1:0\n    stick on src\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n",
            "t.cfg", new Dictionary<string, string>())).Errors;

        Assert.Contains(errors, error => error.StartsWith("t.cfg:3: 'stick' is not allowed in a 'frontend' section", StringComparison.Ordinal));
    }

    [Fact]
    public void Stick_BackendWithoutTable_Rejected()
    {
        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    stick on src\n    server s1 127.0.0.1:9000\n",
            "t.cfg", new Dictionary<string, string>())).Errors;

        Assert.Contains(errors, error => error.StartsWith("t.cfg:5: 'stick' needs a stick table", StringComparison.Ordinal));
    }
}
