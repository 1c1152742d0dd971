using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tls;

/// <summary>Terminates TLS on a Kestrel listener with the options of a `bind ... ssl crt` line.</summary>
internal static class KestrelTls
{
    /// <summary>
    /// Adds TLS to <paramref name="listen"/>. Call it before the connection middleware that must see plaintext.
    /// HTTP/2 is served only when `alpn` offers h2, as in HAProxy. Each handshake reads the bind's settings from the
    /// configuration in use, so a reload brings new certificates and verify options to new connections.
    /// </summary>
    public static void Use(ListenOptions listen, BindTlsSettings tls, BindAddress bind, string frontend, Func<RoutingState> current)
    {
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gatehouse.Balancer");

        // NOTE: the HTTP versions are fixed when the listener starts, so a reload that changes `alpn` applies after a restart.
        listen.Protocols = tls.OffersHttp2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(CreateOptions(Current(current(), frontend, bind) ?? tls, context, frontend, logger)),
        });
    }

    private static BindTlsSettings? Current(RoutingState state, string frontend, BindAddress bind) =>
        state.Frontends.TryGetValue(frontend, out var runtime)
            ? runtime.Config.Binds.FirstOrDefault(candidate => candidate.Host == bind.Host && candidate.Port == bind.Port)?.Tls
            : null;

    private static SslServerAuthenticationOptions CreateOptions(BindTlsSettings tls, TlsHandshakeCallbackContext context, string frontend, ILogger logger)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = tls.Select(context.ClientHelloInfo.ServerName),
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateRequired = tls.Verify != ClientVerify.None,
        };
        if (tls.Verify != ClientVerify.None)
        {
            var connection = context.Connection;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                ValidateClient(tls, connection, certificate as X509Certificate2, chain, frontend, logger);
        }

        return options;
    }

    private static bool ValidateClient(
        BindTlsSettings tls, ConnectionContext connection, X509Certificate2? certificate, X509Chain? chain, string frontend, ILogger logger)
    {
        if (certificate is null)
        {
            connection.Items[ClientCertificateCheck.VerifyResultItemKey] = 0L;
            if (tls.Verify == ClientVerify.Required)
            {
                TlsLog.ClientRejected(logger, connection.RemoteEndPoint?.ToString() ?? "?", frontend, "no client certificate and 'verify required'");
                return false;
            }

            return true;
        }

        var (code, reason) = ClientCertificateCheck.Verify(certificate, tls.ClientCertificateAuthorities, chain);
        connection.Items[ClientCertificateCheck.VerifyResultItemKey] = code;
        if (code != 0)
        {
            // HAProxy also ends the handshake on an invalid certificate with `verify optional`, unless `crt-ignore-err` lists the error.
            TlsLog.ClientRejected(logger, connection.RemoteEndPoint?.ToString() ?? "?", frontend, $"client certificate '{certificate.Subject}': {reason}");
            return false;
        }

        return true;
    }
}
