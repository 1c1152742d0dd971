using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Logging;

/// <summary>
/// Sends framed access log lines from a background task, so a request never waits on a socket or a full stdout pipe.
/// The queue holds at most <see cref="Capacity"/> lines; when it is full a line is dropped and counted, as HAProxy
/// drops log lines it cannot send.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    public const int Capacity = 4096;

    private readonly Channel<(LogTarget Target, byte[] Line)> _queue =
        Channel.CreateBounded<(LogTarget, byte[])>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ILogger _logger;
    private readonly Task _sender;
    private Socket? _udp4;
    private Socket? _udp6;
    private long _dropped;
    private long _reportedDrops;

    public AccessLogWriter(ILogger logger)
    {
        _logger = logger;
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Lines dropped because the queue was full or sending failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Write(LogTarget target, byte[] line)
    {
        if (!_queue.Writer.TryWrite((target, line)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _sender;
        _udp4?.Dispose();
        _udp6?.Dispose();
    }

    private async Task SendLoopAsync()
    {
        await foreach (var (target, line) in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await SendAsync(target, line);
            }
            catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _dropped);
                AccessLogEvents.SendFailed(_logger, target.ToString(), exception.Message);
            }

            ReportDrops();
        }
    }

    private async Task SendAsync(LogTarget target, byte[] line)
    {
        if (target.EndPoint is { } endPoint)
        {
            var socket = endPoint.AddressFamily == AddressFamily.InterNetworkV6
                ? _udp6 ??= new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp)
                : _udp4 ??= new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            await socket.SendToAsync(line, SocketFlags.None, endPoint);
            return;
        }

        var stream = target.Stream == TextWriterKind.Stderr ? Console.OpenStandardError() : Console.OpenStandardOutput();
        await stream.WriteAsync(line);
        await stream.FlushAsync();
    }

    // One warning per new batch of drops, so a flood of drops does not flood the log.
    private void ReportDrops()
    {
        var dropped = Dropped;
        if (dropped > _reportedDrops && _queue.Reader.Count == 0)
        {
            AccessLogEvents.LinesDropped(_logger, dropped - _reportedDrops, dropped);
            _reportedDrops = dropped;
        }
    }
}
