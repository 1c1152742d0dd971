using System.Collections.Concurrent;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// Long-lived threads that run guests, one guest per thread at a time, so guest code and its blocking
/// hostcalls never occupy a .NET thread-pool thread. A thread started per request would pay for its start,
/// Wasmtime's per-thread set-up on the first wasm call and the page faults of a fresh stack. All of these
/// run on the guest thread, so reusing threads keeps them out of the guest's CPU time.
/// </summary>
internal sealed class GuestThreadPool : IDisposable
{
    // The wasm stack (ComputeLimits.StackBytes) lives on this thread's stack, below the host frames.
    private const int ExtraStackBytes = 4 * 1024 * 1024;

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread[] _threads;
    private readonly Action _warmUp;

    /// <param name="warmUp">Runs first on each thread, before it takes work.</param>
    public GuestThreadPool(int threadCount, int wasmStackBytes, Action warmUp)
    {
        _warmUp = warmUp;
        _threads = new Thread[Math.Max(1, threadCount)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work, wasmStackBytes + ExtraStackBytes) { IsBackground = true, Name = $"gatehouse-guest-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="run"/> on the next free guest thread; requests queue while all are busy.</summary>
    public Task<T> RunAsync<T>(Func<T> run)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(run());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        });
        return completion.Task;
    }

    private void Work()
    {
        _warmUp();
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _work.Dispose();
    }
}
