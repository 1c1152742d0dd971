using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tls;

/// <summary>`verify` on a bind line: whether the client is asked for a certificate and whether it must send one.</summary>
public enum ClientVerify
{
    /// <summary>No client certificate is requested (HAProxy's default).</summary>
    None,

    /// <summary>A certificate is requested; a client without one is accepted, an invalid one is rejected.</summary>
    Optional,

    /// <summary>A client without a valid certificate is rejected during the handshake.</summary>
    Required,
}

/// <summary>
/// The TLS options of one `bind ... ssl crt FILE|DIR` line. The first certificate is the default; the others
/// are picked by the SNI name the client sends.
/// </summary>
public sealed class BindTlsSettings
{
    internal BindTlsSettings(IReadOnlyList<SslStreamCertificateContext> certificates, ConfigLocation location)
    {
        Certificates = certificates;
        Location = location;
    }

    /// <summary>Every certificate of the `crt` arguments, each with its chain, in load order.</summary>
    public IReadOnlyList<SslStreamCertificateContext> Certificates { get; }

    public ConfigLocation Location { get; }

    /// <summary>`alpn`: protocols offered in ALPN, in order; empty means HTTP/1.1 without ALPN.</summary>
    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>`ssl-min-ver` and `ssl-max-ver` combined: TLS 1.2 and 1.3 unless narrowed.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    public ClientVerify Verify { get; init; }

    /// <summary>`ca-file`: the certificates a client certificate must chain to; empty when unset.</summary>
    public X509Certificate2Collection ClientCertificateAuthorities { get; init; } = [];

    /// <summary>True when ALPN offers h2, so the bind serves HTTP/2 besides HTTP/1.1.</summary>
    public bool OffersHttp2 => Alpn.Contains("h2");

    /// <summary>Returns the certificate whose names cover <paramref name="serverName"/>, else the first one.</summary>
    public SslStreamCertificateContext Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName) && Certificates.Count > 1)
        {
            foreach (var certificate in Certificates)
            {
                if (certificate.TargetCertificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: true))
                {
                    return certificate;
                }
            }
        }

        return Certificates[0];
    }
}
