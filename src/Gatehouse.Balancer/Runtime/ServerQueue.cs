using Gatehouse.Balancer.LoadBalancing;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// A backend's FIFO queue of requests waiting for a server slot. A slot freed on any server goes to the
/// oldest waiter, as HAProxy hands a released connection slot to the next pending request.
/// </summary>
internal sealed class ServerQueue
{
    private readonly LinkedList<TaskCompletionSource<ServerState>> _waiters = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Adds a waiter unless <paramref name="limit"/> waiters are already queued; null means no limit.</summary>
    public LinkedListNode<TaskCompletionSource<ServerState>>? TryEnqueue(int? limit)
    {
        lock (_lock)
        {
            if (limit is { } max && _waiters.Count >= max)
            {
                return null;
            }

            return _waiters.AddLast(new TaskCompletionSource<ServerState>(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>Removes a waiter that gave up; returns false when it was handed a server first, which the caller then owns.</summary>
    public bool TryRemove(LinkedListNode<TaskCompletionSource<ServerState>> waiter)
    {
        lock (_lock)
        {
            if (waiter.List is null)
            {
                return false;
            }

            _waiters.Remove(waiter);
            return true;
        }
    }

    /// <summary>Gives free slots of <paramref name="server"/> to the oldest waiters, each holding the slot it receives.</summary>
    public void Dispatch(ServerState server)
    {
        lock (_lock)
        {
            while (_waiters.First is { } first && server.IsEligible && server.TryEnter())
            {
                _waiters.RemoveFirst();
                first.Value.SetResult(server);
            }
        }
    }
}
