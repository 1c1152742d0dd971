using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Telemetry.Decisions.Sinks;

/// <summary>
/// Sends each record as an RFC 5424 message over UDP or TCP (see <see cref="SyslogFormatter"/>). A TCP
/// connection opens on the first write and again after any failure; the record that hit the failure is lost
/// and counted by the log. The message time is the record's <see cref="DecisionRecord.Time"/>.
/// </summary>
public sealed class SyslogWriter : IDecisionWriter
{
    private readonly SyslogOptions _options;
    private readonly int _processId = Environment.ProcessId;
    private readonly TimeProvider _time;
    private Socket? _socket;

    public SyslogWriter(SyslogOptions options, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Facility);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Facility, 23);
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public string Name => $"syslog {_options.Transport.ToString().ToLowerInvariant()} {_options.Host}:{_options.Port}";

    public async ValueTask WriteAsync(DecisionRecord record, string json, CancellationToken cancellationToken)
    {
        var time = record.Time == default ? _time.GetUtcNow() : record.Time;
        var message = SyslogFormatter.Format(_options.Facility, _options.HostName, _processId, time, json);
        var socket = _socket ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = _options.Transport == SyslogTransport.Tcp
                ? SyslogFormatter.OctetCountedFrame(message)
                : Encoding.UTF8.GetBytes(message);
            await SendAllAsync(socket, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException)
        {
            Close();
            throw;
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private static async Task SendAllAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.TryParse(_options.Host, out var parsed)
            ? parsed
            : (await Dns.GetHostAddressesAsync(_options.Host, cancellationToken).ConfigureAwait(false))[0];
        var tcp = _options.Transport == SyslogTransport.Tcp;
        var socket = new Socket(address.AddressFamily, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            // For UDP, Connect only fixes the destination, so Send needs no address.
            await socket.ConnectAsync(new IPEndPoint(address, _options.Port), timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        return socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
