using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Tests.MultiNode;
using Gatehouse.Signals.Tests.Redis;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>A runtime API socket that accepts connections and never replies must not stall polling.</summary>
public sealed class RuntimeApiTimeoutTests
{
    [Fact]
    public async Task SendAsync_SilentSocket_ThrowsTimeout()
    {
        using var api = FakeRuntimeApi.StartSilent();
        var client = new RuntimeApiClient("unix:" + api.SocketPath, TimeSpan.FromMilliseconds(300));

        // Without the client's own timeout the exchange would wait forever, so the test bounds it too.
        var exchange = client.SendAsync("show table web", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => exchange);
        Assert.Equal("the runtime API did not complete its reply within 300 ms", error.Message);
        Assert.Equal(1, api.Connections);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsCanceled()
    {
        using var api = FakeRuntimeApi.StartSilent();
        var client = new RuntimeApiClient("unix:" + api.SocketPath, TimeSpan.FromMinutes(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.SendAsync("show table web", cancel.Token).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task PollLoop_SilentSocket_KeepsPolling()
    {
        using var api = FakeRuntimeApi.StartSilent();
        await using var edge = await EdgeNode.StartAsync($"""
            [[routes]]
            prefix = "/"
            kind = "public"

            [[feedback]]
            name = "bad-paths"
            table = "web"
            when = "gpt0 > 0"
            ttl = "1m"
            source = "poll"
            runtime_api = "unix:{api.SocketPath}"
            interval = "100ms"
            timeout = "200ms"
            """);

        // A loop stuck on the first connection would never open a third.
        await Poll.UntilAsync(() => api.Connections >= 3, "three polls of a runtime API that never replies");
        var failure = Assert.Single(edge.Logs.Events, e => e.Id.Id == 2053).Message;
        Assert.Contains("did not complete its reply within 200 ms", failure, StringComparison.Ordinal);
        Assert.Equal(200, await edge.GetStatusAsync("/page"));
    }
}
