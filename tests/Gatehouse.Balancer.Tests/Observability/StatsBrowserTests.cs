using Gatehouse.Balancer.Tests.Runtime;
using Gatehouse.Balancer.Tests.RuntimeApi;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Observability;

/// <summary>
/// The stats page as headless Chromium renders it: the DOM after scripts and parsing, and a screenshot kept under
/// the test output folder (bin/.../stats-screenshots). Chromium comes from Debian's `chromium` package.
/// </summary>
public sealed class StatsBrowserTests
{
    private static string Config(string socket, EchoOrigin one, EchoOrigin two) => $$"""
        global
            stats socket {{socket}} mode 600 level admin
        frontend gateway
            bind 127.0.0.1:0
            default_backend pool
        frontend stats
            bind 127.0.0.1:0
            stats enable
            stats uri /stats
            stats refresh 10s
        backend pool
            server web1 {{one.Address}}
            server web2 {{two.Address}}
        """;

    [Fact]
    public async Task StatsPage_InHeadlessChromium_ShowsProxiesAndStates()
    {
        var chromium = HeadlessChromium.Require();
        var socket = Path.Combine(Path.GetTempPath(), $"gh-stats-browser-{Guid.NewGuid():N}.sock");
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(socket, one, two));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(socket, "set server pool/web2 state maint"));
        var url = new Uri(balancer.Host.BoundAddresses["stats"][0], "/stats").ToString();
        var folder = Path.Combine(AppContext.BaseDirectory, "stats-screenshots");
        Directory.CreateDirectory(folder);
        var screenshot = Path.Combine(folder, "stats-page.png");
        File.Delete(screenshot);

        var (domExit, dom, domError) = await HeadlessChromium.RunAsync(chromium, "--dump-dom", url);
        var (shotExit, _, shotError) = await HeadlessChromium.RunAsync(chromium,
            "--screenshot=" + screenshot, "--window-size=1280,900", url);

        Assert.True(domExit == 0, domError);
        Assert.Contains("<h1>Statistics Report</h1>", dom, StringComparison.Ordinal);
        Assert.Matches("<tr><td>gateway</td><td>FRONTEND</td>", dom);
        Assert.Matches("<tr><td>stats</td><td>FRONTEND</td>", dom);
        Assert.Matches("<tr><td>pool</td><td>web1</td>(<td>[^<]*</td>){15}<td>no check</td>", dom);
        Assert.Matches("<tr><td>pool</td><td>web2</td>(<td>[^<]*</td>){15}<td>MAINT</td>", dom);
        Assert.Matches("<tr><td>pool</td><td>BACKEND</td>(<td>[^<]*</td>){15}<td>UP</td>", dom);
        Assert.True(shotExit == 0, shotError);
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}: {shotError}");
        Assert.True(new FileInfo(screenshot).Length > 1000, $"the screenshot at {screenshot} is nearly empty");
    }

    [Fact]
    public async Task StatsPage_StatsRefresh_SendsRefreshHeader()
    {
        // The page auto-refreshes through the Refresh response header, as HAProxy's page does, so the DOM has no
        // meta element for it. Chromium 156 reloads on that header, seen with --virtual-time-budget, which is too slow for a test.
        var socket = Path.Combine(Path.GetTempPath(), $"gh-stats-browser-{Guid.NewGuid():N}.sock");
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync(Config(socket, one, two));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await http.GetAsync(new Uri(balancer.Host.BoundAddresses["stats"][0], "/stats"));

        Assert.True(response.Headers.TryGetValues("Refresh", out var refresh));
        Assert.Equal(["10"], refresh);
    }
}
