using System.Net;
using Gatehouse.Balancer.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class ReloadTests
{
    private const int Loops = 4;
    private const int MaxRequestsPerLoop = 3000;

    private static BalancerConfig Config(EchoOrigin a, EchoOrigin b, string target, string bind = "127.0.0.1:0") =>
        BalancerConfigLoader.Parse(
            $"""
            defaults
                mode http
                timeout connect 2s
                timeout server 10s
            frontend gateway
                bind {bind}
                acl any path_beg /
                use_backend {target} if any
            backend one
                server a {a.Address}
            backend two
                server b {b.Address}
            """,
            "t.cfg",
            new Dictionary<string, string>());

    [Fact]
    public async Task ReloadAsync_AlternatingBackendsUnderTraffic_NoFailedRequests()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "one"));
        await using var traffic = Traffic.Start(balancer);

        foreach (var target in new[] { "two", "one", "two" })
        {
            await traffic.WaitForMoreAsync(20);
            await balancer.Host.ReloadAsync(Config(a, b, target), CancellationToken.None);
        }

        await traffic.WaitForMoreAsync(20);
        var result = await traffic.StopAsync();

        Assert.Empty(result.Failures);
        Assert.Contains("a", result.Origins);
        Assert.Contains("b", result.Origins);
        Assert.Equal("b", await OriginAsync(balancer));
    }

    [Fact]
    public async Task ReloadAsync_ChangedBind_RejectedAndOldConfigServes()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "one"));
        await using var traffic = Traffic.Start(balancer);
        await traffic.WaitForMoreAsync(20);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => balancer.Host.ReloadAsync(Config(a, b, "two", bind: "127.0.0.1:1"), CancellationToken.None));

        await traffic.WaitForMoreAsync(20);
        var result = await traffic.StopAsync();
        Assert.Contains("'gateway'", error.Message);
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Empty(result.Failures);
        Assert.Equal(["a"], result.Origins);
    }

    [Fact]
    public async Task ReloadFilesAsync_FileWithErrors_KeepsOldConfig()
    {
        await using var a = await EchoOrigin.StartAsync("a");
        await using var b = await EchoOrigin.StartAsync("b");
        await using var balancer = await StartAsync(Config(a, b, "one"));
        var path = Path.Combine(Path.GetTempPath(), $"gatehouse-reload-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(path, "frontend gateway\n    bind 127.0.0.1:0\n    use_backend missing\n    no_such_keyword\n");
        try
        {
            var reloaded = await balancer.Host.ReloadFilesAsync([path], CancellationToken.None);

            Assert.False(reloaded);
            Assert.Equal("a", await OriginAsync(balancer));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> OriginAsync(BalancerTestHost balancer)
    {
        using var response = await balancer.SendAsync(Get("/page"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await EchoReply.ReadAsync(response)).Origin;
    }

    /// <summary>Four bounded request loops against the balancer, recording every origin and failure.</summary>
    private sealed class Traffic : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _loops;
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _origins = [];
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _failures = [];
        private int _count;

        private Traffic(BalancerTestHost balancer)
        {
            _loops = [.. Enumerable.Range(0, Loops).Select(_ => Task.Run(() => RunAsync(balancer)))];
        }

        public static Traffic Start(BalancerTestHost balancer) => new(balancer);

        /// <summary>Waits until <paramref name="requests"/> more requests have completed, so each reload falls inside traffic.</summary>
        public async Task WaitForMoreAsync(int requests)
        {
            var target = Volatile.Read(ref _count) + requests;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref _count) < target && _loops.All(loop => !loop.IsCompleted))
            {
                Assert.True(DateTime.UtcNow < deadline, "traffic did not progress");
                await Task.Delay(10);
            }
        }

        public async Task<(string[] Failures, string[] Origins)> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            return ([.. _failures], [.. _origins.Distinct().Order()]);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            _stop.Dispose();
        }

        private async Task RunAsync(BalancerTestHost balancer)
        {
            for (var i = 0; i < MaxRequestsPerLoop && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await balancer.SendAsync(Get($"/page/{i}"));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        _failures.Add($"status {(int)response.StatusCode}");
                    }
                    else
                    {
                        _origins.Add((await EchoReply.ReadAsync(response)).Origin);
                    }
                }
                catch (HttpRequestException exception)
                {
                    _failures.Add(exception.Message);
                }

                Interlocked.Increment(ref _count);
            }
        }
    }
}
