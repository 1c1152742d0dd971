using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Tls;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Edge.Forwarding;

/// <summary>
/// Builds the pooled connection handler to the balancer: plain http, or https verified against the CA file of
/// <c>[balancer] tls</c> with an optional client certificate, and HTTP/1.1 or, with <c>http2 = true</c>, HTTP/2 only.
/// </summary>
internal static class BalancerConnection
{
    /// <summary>Creates the handler; throws <see cref="InvalidOperationException"/> when a TLS file does not load.</summary>
    public static SocketsHttpHandler CreateHandler(EdgeConfig config, ILogger logger)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // The pipeline writes traceparent and tracestate itself (EdgeRequestHandler.Tracing), so the
            // handler must send them as they are instead of injecting the ambient activity.
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),

            // Header values received as Latin-1 (see EdgeHost) go out as the same bytes.
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
            ResponseHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        };
        if (config.BalancerTls is { } tls)
        {
            handler.SslOptions = CreateSslOptions(tls);
            TlsLog.BalancerTls(logger, tls.CaPath ?? "system store", tls.ClientCertificatePath ?? "none", config.BalancerHttp2);
        }

        return handler;
    }

    /// <summary>Returns the HTTP version settings for requests to the balancer.</summary>
    public static ForwarderRequestConfig CreateRequestConfig(EdgeConfig config) => new()
    {
        ActivityTimeout = config.BalancerTimeout,
        Version = config.BalancerHttp2 ? HttpVersion.Version20 : HttpVersion.Version11,
        VersionPolicy = config.BalancerHttp2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
    };

    private static SslClientAuthenticationOptions CreateSslOptions(BalancerTlsConfig tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        };
        if (tls.ServerName is { } serverName)
        {
            // SocketsHttpHandler checks the certificate against the URL's host. This callback checks server_name
            // instead, for a balancer reached by IP address. Chain errors still fail the handshake.
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                && certificate is X509Certificate2 served
                && served.MatchesHostname(serverName);
        }

        if (tls.CaPath is not null)
        {
            // Only the CA file's roots are trusted, so a certificate from a public CA cannot impersonate the balancer.
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tls.CaPath);
            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"balancer CA file {tls.CaPath} contains no PEM CERTIFICATE block");
            }

            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (tls.ClientCertificatePath is not null && tls.ClientKeyPath is not null)
        {
            // NOTE: the client certificate is read once at start; replacing its files needs an edge restart.
            var client = PemCertificate.TryLoad(tls.ClientCertificatePath, tls.ClientKeyPath, DateTimeOffset.UtcNow, out var error)
                ?? throw new InvalidOperationException($"balancer client certificate: {error}");
            options.ClientCertificateContext = client.Context;
        }

        return options;
    }
}
