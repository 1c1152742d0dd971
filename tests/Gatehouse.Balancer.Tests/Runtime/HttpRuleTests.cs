using System.Net;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class HttpRuleTests
{
    private static string Config(EchoOrigin origin) => $$"""
        frontend gateway
            bind 127.0.0.1:0
            http-request redirect prefix https://127.0.0.1:1 code 301 if { path_beg /old/ }
            http-request set-header X-Path "seen %[path] via %[method]"
            http-request add-header X-Added one
            http-request del-header X-Secret
            http-request set-path /v2%[path] if { path_beg /rewrite }
            http-response set-header X-Served-By gatehouse
            http-response del-header X-Utf8 if { path_beg /nohdr }
            default_backend be
        backend be
            http-request return status 201 content-type text/plain lf-string "made %[url_param(id)]" if { path /make }
            server s1 {{origin.Address}}
        """;

    [Fact]
    public async Task RequestHeaderRules_ChangeForwardedHeaders()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));
        using var request = Get("/page");
        request.Headers.Add("X-Secret", "s3cret");

        using var response = await balancer.SendAsync(request);
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("seen /page via GET", reply.Headers["X-Path"]);
        Assert.Equal("one", reply.Headers["X-Added"]);
        Assert.False(reply.Headers.ContainsKey("X-Secret"));
        Assert.Equal("gatehouse", response.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task SetPath_KeepsQuery()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/rewrite/a?b=1"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("/v2/rewrite/a?b=1", reply.Target);
    }

    [Fact]
    public async Task Redirect_Prefix_KeepsPathAndQuery()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/old/x?y=1"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://127.0.0.1:1/old/x?y=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task BackendReturn_RendersLogFormat()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/make?id=7"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("made 7", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResponseDelHeader_WithCondition_RemovesHeader()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/nohdr"));

        Assert.False(response.Headers.Contains("X-Utf8"));
    }
}
