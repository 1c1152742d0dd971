using System.Net;
using Gatehouse.Balancer.StickTables;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class TcpRequestRuleTests
{
    private static string Config(EchoOrigin origin, string rules, string mode = "http", string table = "") => $$"""
        defaults
            mode {{mode}}
            timeout connect 2s
            timeout client 10s
            timeout server 10s
        frontend fe
            bind 127.0.0.1:0
            {{table}}
            {{rules.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            default_backend be
        backend be
            server s1 {{origin.Address}}
        """;

    private static int Port(BalancerTestHost balancer) => balancer.Host.BoundAddresses["fe"][0].Port;

    [Fact]
    public async Task ConnectionReject_MatchingSource_ClosesWithoutResponse()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "tcp-request connection reject if { src 127.0.0.0/8 }"));

        var reply = await RawConnection.GetAsync(Port(balancer), "/");

        Assert.Equal("", reply);
        Assert.Equal(1, balancer.Host.State.Frontends["fe"].DeniedConnections);
        Assert.Empty(balancer.Sink.Records);
    }

    [Fact]
    public async Task ConnectionAccept_BeforeReject_Forwards()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, """
            tcp-request connection accept if { dst_port gt 0 }
            tcp-request connection reject
            """));

        var reply = await RawConnection.GetAsync(Port(balancer), "/");

        Assert.StartsWith("HTTP/1.1 200", reply, StringComparison.Ordinal);
        Assert.Equal(0, balancer.Host.State.Frontends["fe"].DeniedConnections);
    }

    [Fact]
    public async Task ConnectionReject_UnlessOtherSource_Forwards()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "tcp-request connection reject unless { src 127.0.0.1 }"));

        var reply = await RawConnection.GetAsync(Port(balancer), "/");

        Assert.StartsWith("HTTP/1.1 200", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionTrack_ThirdConnection_Rejected()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, """
            tcp-request connection track-sc0 src
            tcp-request connection reject if { sc_conn_cnt(0) gt 2 }
            """, table: "stick-table type ip size 1k expire 30s store conn_cnt,conn_cur,http_req_cnt"));

        var replies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await RawConnection.GetAsync(Port(balancer), "/"));
        }

        Assert.StartsWith("HTTP/1.1 200", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", replies[1], StringComparison.Ordinal);
        Assert.Equal("", replies[2]);
        Assert.Equal("", replies[3]);
        var table = balancer.Host.StickTables.Find("fe")!;
        var entry = table.Lookup("127.0.0.1")!;
        Assert.Equal(4, table.Read(entry, StickDataType.ConnCnt));
        Assert.Equal(2, table.Read(entry, StickDataType.HttpReqCnt));
        Assert.Equal(2, balancer.Host.State.Frontends["fe"].DeniedConnections);
    }

    [Fact]
    public async Task ConnectionTrack_KeepAlive_CountsEachRequest()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, """
            tcp-request connection track-sc1 src
            http-request deny deny_status 429 if { sc1_http_req_cnt gt 2 }
            """, table: "stick-table type ip size 1k expire 30s store conn_cnt,conn_cur,http_req_cnt"));

        var request = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
        var reply = await RawConnection.ExchangeAsync(Port(balancer), request + request + request.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal));

        Assert.Equal(2, reply.Split("HTTP/1.1 200").Length - 1);
        Assert.Contains("HTTP/1.1 429", reply, StringComparison.Ordinal);
        var table = balancer.Host.StickTables.Find("fe")!;
        var entry = table.Lookup("127.0.0.1")!;
        Assert.Equal(1, table.Read(entry, StickDataType.ConnCnt));
        Assert.Equal(3, table.Read(entry, StickDataType.HttpReqCnt));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (table.Read(entry, StickDataType.ConnCur) != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, table.Read(entry, StickDataType.ConnCur));
    }

    [Fact]
    public async Task ConnectionTrack_EmptyConnection_CountsFailedRequest()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "tcp-request connection track-sc0 src",
            table: "stick-table type ip size 1k expire 30s store conn_cur,http_req_cnt,http_err_cnt"));

        await RawConnection.ExchangeAsync(Port(balancer), "");

        var table = balancer.Host.StickTables.Find("fe")!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (table.Lookup("127.0.0.1") is not { } pending || table.Read(pending, StickDataType.ConnCur) != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the empty connection was not released");
            await Task.Delay(20);
        }

        var entry = table.Lookup("127.0.0.1")!;
        Assert.Equal(1, table.Read(entry, StickDataType.HttpReqCnt));
        Assert.Equal(1, table.Read(entry, StickDataType.HttpErrCnt));
    }

    [Fact]
    public async Task ContentReject_MatchingPath_Closes()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "tcp-request content reject if { path_beg /blocked }"));

        var blocked = await RawConnection.GetAsync(Port(balancer), "/blocked/x");
        var allowed = await RawConnection.GetAsync(Port(balancer), "/fine");

        Assert.Equal("", blocked);
        Assert.StartsWith("HTTP/1.1 200", allowed, StringComparison.Ordinal);
        Assert.Equal(1, balancer.Host.State.Frontends["fe"].Counters.EventCount(Stats.ProxyEvent.DeniedRequests));
        var record = Assert.Single(balancer.Sink.Records, record => record.Decision == "deny");
        Assert.Equal("t.cfg:9 tcp-request content reject", record.Rule);
    }

    [Fact]
    public async Task ContentTrack_HttpMode_CountsRequests()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin, "tcp-request content track-sc2 src",
            table: "stick-table type ip size 1k expire 30s store conn_cnt,http_req_cnt"));

        await RawConnection.GetAsync(Port(balancer), "/");
        await RawConnection.GetAsync(Port(balancer), "/");

        var table = balancer.Host.StickTables.Find("fe")!;
        Assert.Equal(2, table.Read(table.Lookup("127.0.0.1")!, StickDataType.HttpReqCnt));
    }

    [Fact]
    public async Task TcpMode_ContentReject_NoServerSession()
    {
        await using var echo = TcpEchoServer.Start("e1");
        var config = $"""
            defaults
                mode tcp
                timeout connect 2s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:0
                tcp-request inspect-delay 5s
                tcp-request content reject if {"{"} src 127.0.0.1 {"}"}
                default_backend be
            backend be
                server s1 {echo.Address}
            """;
        await using var balancer = await StartAsync(config);

        var reply = await RawConnection.ExchangeAsync(Port(balancer), "hello");

        Assert.Equal("", reply);
        Assert.Equal(0, balancer.Host.State.Backends["be"].Servers[0].Counters.Total);
        Assert.Equal(1, balancer.Host.State.Frontends["fe"].Counters.EventCount(Stats.ProxyEvent.DeniedRequests));
    }
}
