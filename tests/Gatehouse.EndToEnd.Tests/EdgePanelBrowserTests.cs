using System.Net;
using Gatehouse.Balancer.Tests.Observability;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>
/// The edge panel as headless Chromium renders it after real traffic: decisions per second, the penalty box
/// and the most limited keys, with a screenshot kept under the test output folder (bin/.../edge-panel-screenshots).
/// </summary>
public sealed class EdgePanelBrowserTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public EdgePanelBrowserTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task EdgePanel_InHeadlessChromium_ShowsDecisionsAndLimitedKey()
    {
        var chromium = HeadlessChromium.Require();
        using (var hello = await _stack.GetAsync("/api/public/panel-probe"))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        // demo-burst allows 1 request per second, then boxes the client for a minute.
        var limited = false;
        for (var i = 0; i < 10 && !limited; i++)
        {
            using var burst = await _stack.GetAsync($"/api/public/burst/panel-{i}");
            limited = burst.StatusCode == HttpStatusCode.TooManyRequests;
        }

        var url = _stack.Stack.EdgeMetricsAddress!.ToString();
        var folder = Path.Combine(AppContext.BaseDirectory, "edge-panel-screenshots");
        Directory.CreateDirectory(folder);
        var screenshot = Path.Combine(folder, "edge-panel.png");
        File.Delete(screenshot);

        // The panel's rates cover the last 10 seconds, and Chromium may take longer than that to start on a busy
        // machine, so traffic keeps flowing until both page loads are done.
        using var stopTraffic = new CancellationTokenSource();
        var traffic = KeepTrafficAsync(stopTraffic.Token);
        var (domExit, dom, domError) = await HeadlessChromium.RunAsync(chromium, "--dump-dom", url);
        var (shotExit, _, shotError) = await HeadlessChromium.RunAsync(chromium, "--screenshot=" + screenshot, "--window-size=1024,768", url);
        await stopTraffic.CancelAsync();
        await traffic;

        Assert.True(limited, "demo-burst never answered 429");
        Assert.True(domExit == 0, domError);
        Assert.Contains("<h1>Gatehouse edge</h1>", dom, StringComparison.Ordinal);
        Assert.Matches("<tr><td>forward</td><td class=\"n\">[0-9.]+</td></tr>", dom);
        Assert.Matches("<tr><td>(limit|penalty)</td><td class=\"n\">[0-9.]+</td></tr>", dom);
        Assert.Matches("<b id=\"penalty-box\">[1-9][0-9]*</b>", dom);
        Assert.Matches("<tr><td>127\\.0\\.0\\.1</td><td>[^<]*demo-burst[^<]*</td><td class=\"n\">[1-9][0-9]*</td></tr>", dom);
        Assert.True(shotExit == 0, shotError);
        Assert.True(new FileInfo(screenshot).Length > 1000, $"the screenshot at {screenshot} is nearly empty");
    }

    // One allowed and one limited request about every 200 ms, for at most 5 minutes.
    private async Task KeepTrafficAsync(CancellationToken stop)
    {
        var end = DateTime.UtcNow.AddMinutes(5);
        for (var i = 0; !stop.IsCancellationRequested && DateTime.UtcNow < end; i++)
        {
            using (await _stack.GetAsync($"/api/public/panel-probe/{i}"))
            using (await _stack.GetAsync($"/api/public/burst/panel-more-{i}"))
            {
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
