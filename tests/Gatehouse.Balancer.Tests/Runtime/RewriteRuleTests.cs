using System.Net;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class RewriteRuleTests
{
    private static string Config(EchoOrigin origin) => $$"""
        frontend gateway
            bind 127.0.0.1:0
            http-request deny if { path_beg /deny }
            http-request deny hdr X-Reason blocked if { path_beg /hdrdeny }
            http-request replace-header X-Agent ^curl/(.*) curl-\1
            http-request replace-path /old/(.*) /new/\1
            http-request set-query "x=1&%[query]" if { path_beg /q }
            http-request set-header X-Client "%ci %fi"
            http-request redirect scheme https code 301 if { path_beg /secure }
            http-request return status 200 content-type text/plain string ok hdr X-One 1 hdr X-Path %[path] if { path /ret }
            redirect location /elsewhere code 302 if { path_beg /moved }
            http-request deny deny_status 404 if { path /moved/blocked }
            use_backend empty if { path_beg /empty }
            default_backend be
        backend be
            server s1 {{origin.Address}}
        backend empty
            server s1 {{origin.Address}} disabled
        """;

    [Fact]
    public async Task Deny_WithoutBody_SendsErrorPage()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/deny"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("<html><body><h1>403 Forbidden</h1>\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deny_WithHdrOnly_SendsEmptyBody()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/hdrdeny"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("blocked", response.Headers.GetValues("X-Reason").Single());
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NoServer_SendsErrorPage503()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/empty"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>503 Service Unavailable</h1>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceHeaderAndPath_RewriteWholeValue()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));
        using var request = Get("/old/a?b=1");
        request.Headers.Add("X-Agent", "curl/8.0");

        using var response = await balancer.SendAsync(request);
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("/new/a?b=1", reply.Target);
        Assert.Equal("curl-8.0", reply.Headers["X-Agent"]);
    }

    [Fact]
    public async Task SetQuery_RendersFetches()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/q?a=2"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("/q?x=1&a=2", reply.Target);
    }

    [Fact]
    public async Task SetHeader_ConnectionVariables_Rendered()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/"));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("127.0.0.1 127.0.0.1", reply.Headers["X-Client"]);
    }

    [Fact]
    public async Task RedirectScheme_KeepsHostPathAndQuery()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));
        using var request = Get("/secure/a?b=1");
        request.Headers.Host = "gate.test:8080";

        using var response = await balancer.SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://gate.test:8080/secure/a?b=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Return_HdrOptions_AddHeaders()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Get("/ret"));

        Assert.Equal("1", response.Headers.GetValues("X-One").Single());
        Assert.Equal("/ret", response.Headers.GetValues("X-Path").Single());
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RedirectKeyword_RunsAfterHttpRequestRules()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var moved = await balancer.SendAsync(Get("/moved"));
        using var denied = await balancer.SendAsync(Get("/moved/blocked"));

        Assert.Equal(HttpStatusCode.Found, moved.StatusCode);
        Assert.Equal("/elsewhere", moved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
    }
}
