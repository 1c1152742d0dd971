using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Edge.Feedback;

/// <summary>
/// Sends one command to an HAProxy runtime API socket and returns the whole reply. Each command uses its own
/// connection, because in non-interactive mode HAProxy closes the connection after the reply. One exchange,
/// connect included, takes at most the client's timeout, so a socket that accepts and never replies cannot
/// stall the poll loop.
/// </summary>
internal sealed class RuntimeApiClient
{
    // A reply larger than this is cut off after its last complete line, so a huge table cannot exhaust the edge's memory.
    private const int MaxReplyBytes = 16 * 1024 * 1024;

    private readonly EndPoint _endpoint;

    /// <param name="address"><c>unix:PATH</c> or <c>tcp:IP:PORT</c>.</param>
    /// <param name="timeout">Maximum time of one <see cref="SendAsync"/>, from connect to the end of the reply.</param>
    public RuntimeApiClient(string address, TimeSpan timeout)
    {
        _endpoint = ParseAddress(address) ?? throw new ArgumentException(
            $"runtime API address \"{address}\" is invalid; expected unix:/path/to/socket or tcp:HOST:PORT", nameof(address));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Address = address;
        Timeout = timeout;
    }

    public string Address { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Returns the endpoint of <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> (HOST an IP address), or null when invalid.</summary>
    public static EndPoint? ParseAddress(string address)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal) && address.Length > 5)
        {
            return new UnixDomainSocketEndPoint(address[5..]);
        }

        if (address.StartsWith("tcp:", StringComparison.Ordinal) && IPEndPoint.TryParse(address[4..], out var ip) && ip.Port > 0)
        {
            return ip;
        }

        return null;
    }

    /// <summary>Sends <paramref name="command"/> and reads until HAProxy closes the connection.</summary>
    /// <exception cref="SocketException">The socket could not be reached.</exception>
    /// <exception cref="TimeoutException">Connecting, sending or reading the reply took longer than <see cref="Timeout"/>.</exception>
    public async Task<string> SendAsync(string command, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            return await ExchangeAsync(command, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(
                CultureInfo.InvariantCulture, $"the runtime API did not complete its reply within {Timeout.TotalMilliseconds:0} ms"));
        }
    }

    private async Task<string> ExchangeAsync(string command, CancellationToken cancellationToken)
    {
        var protocol = _endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, protocol);
        await socket.ConnectAsync(_endpoint, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, cancellationToken);

        var reply = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0 && reply.Length < MaxReplyBytes)
        {
            reply.Write(buffer, 0, read);
        }

        var length = (int)reply.Length;
        if (read > 0)
        {
            // The reply was cut off, so its last line may be partial. A cut key could name a different client.
            length = Array.LastIndexOf(reply.GetBuffer(), (byte)'\n', length - 1) + 1;
        }

        return Encoding.UTF8.GetString(reply.GetBuffer(), 0, length);
    }
}
