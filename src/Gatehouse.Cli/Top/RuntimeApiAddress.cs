using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.Cli.Top;

/// <summary>
/// Where a balancer's runtime API (`stats socket`) listens: <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> with an IP
/// address. A value without a prefix is a unix socket path.
/// </summary>
internal sealed record RuntimeApiAddress(string? Path, IPEndPoint? Endpoint)
{
    /// <summary>The maximum output of one command, so a wrong socket cannot fill the memory.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static RuntimeApiAddress? TryParse(string value, out string? error)
    {
        error = null;
        if (value.StartsWith("tcp:", StringComparison.Ordinal))
        {
            if (IPEndPoint.TryParse(value[4..], out var endpoint) && endpoint.Port > 0)
            {
                return new RuntimeApiAddress(null, endpoint);
            }

            error = $"--socket expects tcp:IP:PORT, such as tcp:127.0.0.1:9999, got '{value}'";
            return null;
        }

        var path = value.StartsWith("unix:", StringComparison.Ordinal) ? value[5..] : value;
        if (path.Length == 0)
        {
            error = "--socket expects unix:PATH or tcp:IP:PORT, got an empty path";
            return null;
        }

        return new RuntimeApiAddress(System.IO.Path.GetFullPath(path), null);
    }

    public override string ToString() => Path is not null ? $"unix:{Path}" : $"tcp:{Endpoint}";

    /// <summary>
    /// Sends one command line and returns the whole output, without the blank line that ends it.
    /// Throws <see cref="SocketException"/> or <see cref="IOException"/> when the socket cannot be reached,
    /// and <see cref="OperationCanceledException"/> after 10 s without a response.
    /// </summary>
    public async Task<string> SendAsync(string command, CancellationToken cancellationToken)
    {
        // Connecting to a missing unix socket fails with "Cannot assign requested address", which hides the cause.
        if (Path is not null && !File.Exists(Path))
        {
            throw new IOException($"no socket file at {Path}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var socket = Path is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(Endpoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        EndPoint target = Path is not null ? new UnixDomainSocketEndPoint(Path) : Endpoint!;
        await socket.ConnectAsync(target, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, timeout.Token);

        using var output = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            if (output.Length + read > MaxResponseBytes)
            {
                throw new IOException($"the runtime API at {this} sent more than {MaxResponseBytes} bytes");
            }

            output.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
        return text.EndsWith('\n') ? text[..^1] : text;
    }
}
