using System.IO.Pipelines;
using System.Net.Sockets;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Copies bytes between a client connection and a server socket in both directions.</summary>
internal static class TcpPump
{
    /// <summary>
    /// Runs until both directions end. When one side closes, the other side's sending half is closed too, so a
    /// request-response exchange finishes normally. When nothing moves for <paramref name="idle"/>, both are closed.
    /// </summary>
    public static async Task RunAsync(IDuplexPipe client, NetworkStream server, Socket serverSocket, TimeSpan? idle)
    {
        using var stop = new CancellationTokenSource();
        var activity = new ActivityClock();
        var upstream = CopyToServerAsync(client.Input, server, serverSocket, activity, stop.Token);
        var downstream = CopyToClientAsync(server, client.Output, activity, stop.Token);
        var watchdog = idle is { } limit && limit > TimeSpan.Zero ? WatchAsync(activity, limit, stop) : Task.CompletedTask;
        try
        {
            // A failed direction ends the other one too, instead of leaving it waiting for bytes that cannot be sent.
            var first = await Task.WhenAny(upstream, downstream);
            if (first.IsFaulted || first.IsCanceled)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(upstream, downstream);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
            // A reset or a timeout ends the connection; both sides are closed below.
        }
        finally
        {
            await stop.CancelAsync();
            await watchdog;
        }
    }

    private static async Task CopyToServerAsync(PipeReader input, NetworkStream server, Socket socket, ActivityClock activity, CancellationToken ct)
    {
        while (true)
        {
            var result = await input.ReadAsync(ct);
            foreach (var segment in result.Buffer)
            {
                await server.WriteAsync(segment, ct);
            }

            activity.Touch();
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        await input.CompleteAsync();
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task CopyToClientAsync(NetworkStream server, PipeWriter output, ActivityClock activity, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await server.ReadAsync(buffer, ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            activity.Touch();
        }

        await output.CompleteAsync();
    }

    private static async Task WatchAsync(ActivityClock activity, TimeSpan idle, CancellationTokenSource stop)
    {
        var period = idle / 4 > TimeSpan.FromMilliseconds(10) ? idle / 4 : TimeSpan.FromMilliseconds(10);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(period, stop.Token);
                if (activity.IdleFor() >= idle)
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped because the connection ended or went idle.
        }
    }

    private sealed class ActivityClock
    {
        private long _last = Environment.TickCount64;

        public void Touch() => Volatile.Write(ref _last, Environment.TickCount64);

        public TimeSpan IdleFor() => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _last));
    }
}
