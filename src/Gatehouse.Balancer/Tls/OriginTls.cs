using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Client side TLS to servers with `ssl`: the handler that forwards to them, the certificate check HAProxy does for
/// `verify required`, and the handshake used as a health check.
/// </summary>
internal static class OriginTls
{
    /// <summary>
    /// Creates the handler for one TLS server. SocketsHttpHandler sends the outgoing Host header's name as SNI, so the
    /// SNI is that name even when `sni` names another.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(ServerConfig server, string backend, TimeSpan? connectTimeout, ILogger logger)
    {
        var tls = server.Tls!;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = connectTimeout ?? Timeout.InfiniteTimeSpan,
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            ResponseHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            SslOptions = CreateClientOptions(server, forCheck: false, reason => TlsLog.ServerCertificateRejected(logger, backend, server.Name, reason)),
        };
    }

    /// <summary>Creates the client for `option httpchk` checks of a TLS server; each check opens a new connection.</summary>
    public static HttpClient CreateCheckClient(ServerConfig server)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = CreateClientOptions(server, forCheck: true, _ => { }),
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Returns the request settings for <paramref name="server"/>: HTTP/2 for `proto h2`, offered in ALPN for `alpn h2,...`.</summary>
    public static ForwarderRequestConfig RequestConfigFor(ServerConfig server, ForwarderRequestConfig backend)
    {
        if (server.Http2)
        {
            return backend with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        }

        return server.Tls?.OffersHttp2 == true
            ? backend with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower }
            : backend;
    }

    /// <summary>Connects and completes a TLS handshake, the layer 6 check HAProxy runs for `check` on an `ssl` server.</summary>
    public static async Task<(bool, string)> HandshakeAsync(ServerConfig server, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Host, server.Port, ct);
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        string? rejection = null;
        var options = CreateClientOptions(server, forCheck: true, reason => rejection = reason);
        options.TargetHost = server.Tls!.VerifyHost ?? server.Host;
        try
        {
            await stream.AuthenticateAsClientAsync(options, ct);
        }
        catch (AuthenticationException exception)
        {
            return (false, $"Layer6 invalid response, info: \"SSL handshake failure ({rejection ?? exception.Message})\"");
        }

        return (true, "Layer6 check passed");
    }

    /// <param name="forCheck">True for health checks, which HAProxy verifies against `verifyhost` only because they do not send the `sni` value.</param>
    /// <param name="rejected">Called with the reason when the server's certificate fails `verify required`.</param>
    private static SslClientAuthenticationOptions CreateClientOptions(ServerConfig server, bool forCheck, Action<string> rejected)
    {
        var tls = server.Tls!;
        var options = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                ValidateServer(tls, forCheck ? tls.VerifyHost : ExpectedName(tls, sender as SslStream), certificate as X509Certificate2, chain, errors, rejected),
        };
        if (tls.ClientCertificate is { } client)
        {
            options.ClientCertificates = [client];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }

        return options;
    }

    private static bool ValidateServer(
        ServerTlsSettings tls, string? expectedName, X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors, Action<string> rejected)
    {
        if (!tls.Verify)
        {
            return true;
        }

        var reason = OriginCertificateCheck.Check(tls, expectedName, certificate, presented, errors);
        if (reason is not null)
        {
            rejected(reason);
            return false;
        }

        return true;
    }

    /// <summary>Returns the name the certificate must carry: the `sni` value (the SNI sent, for an expression), else `verifyhost`.</summary>
    private static string? ExpectedName(ServerTlsSettings tls, SslStream? stream) =>
        tls.SniLiteral ?? (tls.Sni is not null ? stream?.TargetHostName : tls.VerifyHost);
}
