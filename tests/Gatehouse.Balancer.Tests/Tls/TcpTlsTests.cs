using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Balancer.Tests.Runtime;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class TcpTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task TcpModeSslBind_TerminatesAndPumpsPlaintext()
    {
        await using var echo = TcpEchoServer.Start("e1");
        await using var host = await TlsTestHost.StartAsync(
            "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n"
            + $"frontend fe\n    bind 127.0.0.1:0 ssl crt {_certificates.ServerFile}\n    default_backend be\n"
            + $"backend be\n    server s1 {echo.Address}\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Port, timeout.Token);
        await using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, certificate, _, _) => _certificates.IsIssuedByAuthority(certificate),
            },
            timeout.Token);

        await tls.WriteAsync(Encoding.ASCII.GetBytes("hello over tls"), timeout.Token);
        await tls.ShutdownAsync();
        using var reply = new MemoryStream();
        await tls.CopyToAsync(reply, timeout.Token);

        Assert.Contains("hello over tls", Encoding.ASCII.GetString(reply.ToArray()), StringComparison.Ordinal);
    }
}
