using System.Collections.Concurrent;

namespace Gatehouse.Edge.Tests.Faults;

/// <summary>
/// Request loops that run until stopped or until each has sent <see cref="MaxRequestsPerLoop"/>, recording every
/// response other than the expected status and every exception, so a fault injected meanwhile shows up as a failure.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    public const int MaxRequestsPerLoop = 20_000;

    private static readonly TimeSpan ProgressDeadline = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task[] _loops;
    private int _completed;

    private SteadyLoad(int loops, int expectedStatus, Func<int, int, Task<int>> send)
    {
        _loops = [.. Enumerable.Range(0, loops).Select(loop => Task.Run(() => RunAsync(loop, expectedStatus, send)))];
    }

    public int Completed => Volatile.Read(ref _completed);

    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>Starts <paramref name="loops"/> loops; <paramref name="send"/> gets the loop and request number and returns the status.</summary>
    public static SteadyLoad Start(int loops, int expectedStatus, Func<int, int, Task<int>> send) => new(loops, expectedStatus, send);

    /// <summary>Waits until <paramref name="requests"/> more requests have completed, so a fault falls inside traffic.</summary>
    public async Task WaitForMoreAsync(int requests)
    {
        var target = Completed + requests;
        var deadline = DateTime.UtcNow + ProgressDeadline;
        while (Completed < target)
        {
            Assert.True(_loops.Any(loop => !loop.IsCompleted), $"the load loops ended after {Completed} requests");
            Assert.True(DateTime.UtcNow < deadline, $"load made no progress: {Completed} of {target} requests in {ProgressDeadline.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Stops the loops and returns the failures they recorded.</summary>
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

    private async Task RunAsync(int loop, int expectedStatus, Func<int, int, Task<int>> send)
    {
        for (var i = 0; i < MaxRequestsPerLoop && !_stop.IsCancellationRequested; i++)
        {
            try
            {
                var status = await send(loop, i);
                if (status != expectedStatus)
                {
                    _failures.Enqueue($"loop {loop} request {i}: status {status}");
                }
            }
            catch (HttpRequestException exception)
            {
                _failures.Enqueue($"loop {loop} request {i}: {exception.Message}");
            }
            catch (TaskCanceledException exception) when (!_stop.IsCancellationRequested)
            {
                _failures.Enqueue($"loop {loop} request {i}: timed out: {exception.Message}");
            }

            Interlocked.Increment(ref _completed);
        }
    }
}
