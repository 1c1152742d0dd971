using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Balancer.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class StatsTests
{
    private static string Config(EchoOrigin origin) => $$"""
        frontend fe
            bind 127.0.0.1:0
            stats enable
            stats uri /stats
            stats auth admin:secret
            stats refresh 10s
            default_backend be
        backend be
            server s1 {{origin.Address}} cookie c1
        """;

    private static HttpRequestMessage Authorized(string target, string credentials = "admin:secret")
    {
        var request = Get(target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        return request;
    }

    [Fact]
    public async Task WithoutCredentials_ChallengesBasic()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var missing = await balancer.SendAsync(Get("/stats"));
        using var wrong = await balancer.SendAsync(Authorized("/stats", "admin:guess"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Basic realm=\"HAProxy Statistics\"", missing.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Csv_CountsForwardedRequests()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));
        (await balancer.SendAsync(Get("/page"))).Dispose();

        using var response = await balancer.SendAsync(Authorized("/stats;csv"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        var header = lines[0][2..].Split(',');
        var server = lines.Single(line => line.StartsWith("be,s1,", StringComparison.Ordinal)).Split(',');

        Assert.StartsWith("# pxname,svname,qcur,qmax,scur,smax,slim,stot,", lines[0], StringComparison.Ordinal);
        Assert.Equal("1", server[Array.IndexOf(header, "stot")]);
        Assert.Equal("1", server[Array.IndexOf(header, "hrsp_2xx")]);
        Assert.Equal("c1", server[Array.IndexOf(header, "cookie")]);
        Assert.Equal("no check", server[Array.IndexOf(header, "status")]);
        Assert.Contains(lines, line => line.StartsWith("fe,FRONTEND,", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("be,BACKEND,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HtmlPage_HasRefreshHeader()
    {
        await using var origin = await EchoOrigin.StartAsync("o");
        await using var balancer = await StartAsync(Config(origin));

        using var response = await balancer.SendAsync(Authorized("/stats"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("10", response.Headers.GetValues("Refresh").Single());
        Assert.Contains("<td>be</td><td>s1</td>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stats admin", "t.cfg:3: 'stats admin' expects '{ if | unless } <condition>', such as 'stats admin if LOCALHOST'")]
    [InlineData("stats admin if nosuch", "t.cfg:3: 'stats admin' uses acl 'nosuch', which is not defined in frontend 'fe'; add 'acl nosuch ...'")]
    [InlineData("stats admin if { src 10.0.0.1", "t.cfg:3: 'stats admin': anonymous acl '{' has no closing '}'; braces must be separate words")]
    [InlineData("stats hide-version", "t.cfg:3: 'stats hide-version' is not supported yet")]
    [InlineData("stats auth nocolon", "t.cfg:3: 'stats auth' expects 'user:password'")]
    [InlineData("stats uri stats", "t.cfg:3: 'stats uri' expects one path starting with '/', such as 'stats uri /stats'")]
    [InlineData("stats enabel", "t.cfg:3: 'stats' expects one of enable, uri, refresh, auth, realm, admin, got 'enabel'; did you mean 'enable'?")]
    public void InvalidLine_Reported(string line, string expected)
    {
        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            $"frontend fe\n    bind 127.0.0.1:0\n    {line}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n",
            "t.cfg",
            new Dictionary<string, string>())).Errors;

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void StatsAdminInDefaults_Reported()
    {
        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            "defaults\n    stats admin if TRUE\nbackend be\n    server s1 127.0.0.1:9000\n",
            "t.cfg",
            new Dictionary<string, string>())).Errors;

        Assert.Contains("t.cfg:2: 'stats admin' is not allowed in a 'defaults' section; put it in the frontend or listen section that serves the page", errors);
    }
}
