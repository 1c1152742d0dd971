using System.Collections.Concurrent;
using System.Net;
using Gatehouse.Balancer.Tests.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Faults;

/// <summary>
/// Bounded GET loops against a balancer that record every status other than 200 and every exception, and which
/// origin answered. Odd loops request /slow/ paths, so requests are in flight whenever the test changes something.
/// </summary>
internal sealed class TrafficLoops : IAsyncDisposable
{
    private const int MaxRequestsPerLoop = 5000;
    private static readonly TimeSpan ProgressDeadline = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _origins = new();
    private readonly Task[] _loops;
    private int _completed;

    private TrafficLoops(BalancerTestHost balancer, int loops, Func<int, string?>? cookie)
    {
        _loops = [.. Enumerable.Range(0, loops).Select(loop => Task.Run(() => RunAsync(balancer, loop, cookie?.Invoke(loop))))];
    }

    /// <summary>Starts <paramref name="loops"/> loops; <paramref name="cookie"/> gives the Cookie header of a loop, or null.</summary>
    public static TrafficLoops Start(BalancerTestHost balancer, int loops, Func<int, string?>? cookie = null) => new(balancer, loops, cookie);

    public int Completed => Volatile.Read(ref _completed);

    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>Returns how many requests each origin has answered so far.</summary>
    public int AnsweredBy(string origin) => _origins.GetValueOrDefault(origin);

    /// <summary>Waits until <paramref name="requests"/> more requests have completed.</summary>
    public async Task WaitForMoreAsync(int requests)
    {
        var target = Completed + requests;
        var deadline = DateTime.UtcNow + ProgressDeadline;
        while (Completed < target)
        {
            Assert.True(_loops.Any(loop => !loop.IsCompleted), $"the traffic loops ended after {Completed} requests");
            Assert.True(DateTime.UtcNow < deadline, $"traffic made no progress: {Completed} of {target} requests in {ProgressDeadline.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        return Failures;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private async Task RunAsync(BalancerTestHost balancer, int loop, string? cookie)
    {
        var prefix = loop % 2 == 1 ? "/slow/" : "/page/";
        for (var i = 0; i < MaxRequestsPerLoop && !_stop.IsCancellationRequested; i++)
        {
            try
            {
                using var request = Get($"{prefix}{loop}/{i}");
                if (cookie is not null)
                {
                    request.Headers.Add("Cookie", cookie);
                }

                using var response = await balancer.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    _origins.AddOrUpdate(await ControlledOrigin.ReadNameAsync(response), 1, (_, count) => count + 1);
                }
                else
                {
                    _failures.Enqueue($"loop {loop} request {i}: status {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException exception)
            {
                _failures.Enqueue($"loop {loop} request {i}: {exception.Message}");
            }

            Interlocked.Increment(ref _completed);
        }
    }
}
