using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary><c>fastly_http_req</c> send and pending-request calls: requests to named backends.</summary>
internal static class SendHostcalls
{
    private const string Module = "fastly_http_req";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "send", (s, m, a) =>
        {
            var pending = Start(s, m, a, streaming: false);
            WriteResponse(s, m, Wait(s, pending, m, detailPointer: 0), a.I(4), a.I(5));
        });
        table.Add(Module, "send_v2", (s, m, a) =>
        {
            var pending = Start(s, m, a, streaming: false);
            WriteResponse(s, m, Wait(s, pending, m, a.I(4)), a.I(5), a.I(6));
        });
        table.Add(Module, "send_async", (s, m, a) => m.WriteU32(a.I(4), s.Handles.Add(Start(s, m, a, streaming: false))));
        table.Add(Module, "send_async_streaming", (s, m, a) => m.WriteU32(a.I(4), s.Handles.Add(Start(s, m, a, streaming: true))));
        table.Add(Module, "send_async_v2", (s, m, a) => m.WriteU32(a.I(5), s.Handles.Add(Start(s, m, a, streaming: a.I(4) != 0))));
        table.Add(Module, "pending_req_wait", (s, m, a) =>
            WriteResponse(s, m, Wait(s, s.Handles.Get<PendingRequest>(a.I(0)), m, detailPointer: 0), a.I(1), a.I(2)));
        table.Add(Module, "pending_req_wait_v2", (s, m, a) =>
            WriteResponse(s, m, Wait(s, s.Handles.Get<PendingRequest>(a.I(0)), m, a.I(1)), a.I(2), a.I(3)));
        table.Add(Module, "pending_req_poll", Poll);
        table.Add(Module, "pending_req_select", Select);
        table.Add(Module, "close", (s, m, a) =>
        {
            s.Handles.Get<GuestRequest>(a.I(0));
            s.Handles.Remove(a.I(0));
        });
    }

    private static PendingRequest Start(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args, bool streaming)
    {
        var request = state.Handles.Get<GuestRequest>(args.I(0));
        var body = state.Handles.Get<GuestBody>(args.I(1));
        var name = args.Str(memory, 2);
        var backend = FindBackend(state, name) ?? throw Fail(FastlyStatus.InvalidArgument, $"unknown backend '{name}'");
        if (state.BackendRequestCount >= state.Limits.MaxBackendRequests)
        {
            throw Fail(FastlyStatus.LimitExceeded, "too many backend requests");
        }

        state.BackendRequestCount++;
        var task = state.Backends.Start(request, body, backend, streaming, state.Aborted);
        return new PendingRequest(task);
    }

    public static GuestBackend? FindBackend(RequestState state, string name) =>
        state.Info.Backends.TryGetValue(name, out var backend) ? backend
        : state.Environment.Backends.TryGetValue(name, out backend) ? backend
        : null;

    private static (GuestResponse, GuestBody) Wait(RequestState state, PendingRequest pending, GuestMemory memory, int detailPointer)
    {
        // WaitAny, unlike Task.Wait, does not throw when the send failed; Result reports that failure.
        Task.WaitAny([pending.Task], state.Limits.WallClock - state.WallTime < TimeSpan.Zero ? TimeSpan.Zero : state.Limits.WallClock - state.WallTime);
        return Result(state, pending, memory, detailPointer);
    }

    private static (GuestResponse, GuestBody) Result(RequestState state, PendingRequest pending, GuestMemory memory, int detailPointer)
    {
        if (!pending.Task.IsCompleted)
        {
            throw Fail(FastlyStatus.Error, "wall-clock limit reached while waiting for a backend");
        }

        if (pending.Task.Exception?.InnerException is BackendSendException failure)
        {
            if (failure.Error == BackendSendError.Timeout)
            {
                state.Failure = GuestFailure.BackendTimeout;
            }

            if (detailPointer != 0)
            {
                memory.WriteByte(detailPointer, failure.DetailTag);
            }

            throw Fail(FastlyStatus.Error, failure.Message);
        }

        if (detailPointer != 0)
        {
            memory.WriteByte(detailPointer, 1);
        }

        return pending.Task.GetAwaiter().GetResult();
    }

    private static void WriteResponse(RequestState state, GuestMemory memory, (GuestResponse Response, GuestBody Body) result, int responsePointer, int bodyPointer)
    {
        memory.WriteU32(responsePointer, state.Handles.Add(result.Response));
        memory.WriteU32(bodyPointer, state.Handles.Add(result.Body));
    }

    private static void Poll(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var pending = state.Handles.Get<PendingRequest>(args.I(0));
        if (!pending.Task.IsCompleted)
        {
            memory.WriteU32(args.I(1), 0);
            return;
        }

        memory.WriteU32(args.I(1), 1);
        WriteResponse(state, memory, Result(state, pending, memory, 0), args.I(2), args.I(3));
    }

    private static void Select(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var pendings = new PendingRequest[args.I(1)];
        for (var i = 0; i < pendings.Length; i++)
        {
            pendings[i] = state.Handles.Get<PendingRequest>((int)memory.ReadU32(args.I(0) + (i * 4)));
        }

        if (pendings.Length == 0)
        {
            throw Fail(FastlyStatus.InvalidArgument, "empty handle list");
        }

        var index = Task.WaitAny(pendings.Select(p => (Task)p.Task).ToArray(), state.Limits.WallClock);
        if (index < 0)
        {
            throw Fail(FastlyStatus.Error, "wall-clock limit reached while waiting for a backend");
        }

        memory.WriteU32(args.I(2), (uint)index);
        WriteResponse(state, memory, Result(state, pendings[index], memory, 0), args.I(3), args.I(4));
    }
}
