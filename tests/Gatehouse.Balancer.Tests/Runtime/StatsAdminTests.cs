using System.Net;
using System.Net.Http.Headers;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class StatsAdminTests
{
    private static string Config(EchoOrigin a, EchoOrigin b, string admin) => $$"""
        frontend fe
            bind 127.0.0.1:0
            stats uri /stats
            stats auth admin:secret
            {{admin}}
            default_backend be
        backend be
            balance roundrobin
            server s1 {{a.Address}}
            server s2 {{b.Address}}
        """;

    private static HttpRequestMessage Post(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://placeholder/stats")
        {
            Content = new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:secret"u8.ToArray()));
        return request;
    }

    private static async Task<HashSet<string>> OriginsAsync(BalancerTestHost balancer, int count)
    {
        var origins = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await balancer.SendAsync(Get("/page"));
            origins.Add((await EchoReply.ReadAsync(response)).Origin);
        }

        return origins;
    }

    [Fact]
    public async Task PostMaint_TakesServerOutUntilReady()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "stats admin if TRUE"));

        using var maint = await balancer.SendAsync(Post("s=s1&action=maint&b=%233"));
        var whileMaint = await OriginsAsync(balancer, 4);
        using var ready = await balancer.SendAsync(Post("s=s1&action=ready&b=be"));
        var afterReady = await OriginsAsync(balancer, 4);

        Assert.Equal(HttpStatusCode.SeeOther, maint.StatusCode);
        Assert.Equal("/stats;st=DONE", maint.Headers.Location!.OriginalString);
        Assert.Equal(["b"], whileMaint);
        Assert.Equal(HttpStatusCode.SeeOther, ready.StatusCode);
        Assert.Equal("/stats;st=DONE", ready.Headers.Location!.OriginalString);
        Assert.Contains("a", afterReady);
    }

    [Fact]
    public async Task PostWithoutAdminCondition_IsDenied()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "stats admin unless TRUE"));

        using var response = await balancer.SendAsync(Post("s=s1&action=maint&b=be"));
        var origins = await OriginsAsync(balancer, 4);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/stats;st=DENY", response.Headers.Location!.OriginalString);
        Assert.Contains("a", origins);
    }

    [Theory]
    [InlineData("s=s1&action=fly&b=be", "/stats;st=ERRP")]
    [InlineData("s=nope&action=maint&b=be", "/stats;st=ERRP")]
    [InlineData("s=s1&s=nope&action=drain&b=be", "/stats;st=PART")]
    [InlineData("", "/stats;st=NONE")]
    public async Task PostResult_RedirectsWithHaproxyCode(string body, string expected)
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "stats admin if LOCALHOST"));

        using var response = await balancer.SendAsync(Post(body));

        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task HtmlPage_ShowsFormOnlyForAdmin()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var admin = await StartAsync(Config(a, b, "stats admin if TRUE"));
        await using var viewer = await StartAsync(Config(a, b, "stats admin if FALSE"));

        using var adminPage = await admin.SendAsync(Authorized("/stats;st=DONE"));
        using var viewerPage = await viewer.SendAsync(Authorized("/stats"));
        var adminHtml = await adminPage.Content.ReadAsStringAsync();

        Assert.Contains("<input type=\"checkbox\" name=\"s\" value=\"s1\">", adminHtml, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"b\" value=\"#3\">", adminHtml, StringComparison.Ordinal);
        Assert.Contains("Action processed successfully.", adminHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", await viewerPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Authorized(string target)
    {
        var request = Get(target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:secret"u8.ToArray()));
        return request;
    }
}
