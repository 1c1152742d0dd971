using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Compat.Tests.Harness;

/// <summary>
/// Sends one HTTP/1.1 request over a new TLS connection, with an SNI name and an optional client certificate, and
/// reads until the server closes. A failed handshake, or a connection closed before any response byte, is reported
/// as status 0 so both implementations' rejections compare equal.
/// </summary>
internal static class TlsProbeClient
{
    public static async Task<ProbeResponse> SendAsync(int port, string serverName, X509Certificate2? clientCertificate, ProbeRequest request, CompatCertificates certificates)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var tls = new SslStream(client.GetStream());
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificates.IsTrusted(certificate),
        };
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        try
        {
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
            var text = new StringBuilder($"{request.Method} {request.Target} HTTP/1.1\r\nHost: {serverName}\r\n");
            foreach (var header in request.Headers)
            {
                text.Append(header).Append("\r\n");
            }

            text.Append("Connection: close\r\n\r\n");
            await tls.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), timeout.Token);
            var bytes = await ReadToEndAsync(tls, timeout.Token);
            return bytes.Length == 0 ? Rejected("closed without a response") : RawHttpClient.Parse(bytes, request.Method == "HEAD");
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            // With TLS 1.3 the server checks the client certificate after the client finished, so a rejection
            // can show up as a failed read instead of a failed handshake.
            return Rejected(exception.GetType().Name);
        }
    }

    private static ProbeResponse Rejected(string detail) => new(0, [], $"TLS rejected ({detail})");

    private static async Task<byte[]> ReadToEndAsync(SslStream tls, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await tls.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // A server may close the TCP connection without a TLS close_notify after the response; the bytes read count.
        }

        return buffer.ToArray();
    }
}
