using System.Net.Security;
using System.Security.Authentication;

namespace Gatehouse.Edge.Tls;

/// <summary>
/// Chooses the certificate of a TLS listener by the SNI name of the ClientHello: an exact name first, then a
/// <c>*.domain</c> wildcard that covers exactly one more label (RFC 6125), else the listener's first certificate.
/// </summary>
internal sealed class SniCertificateSelector
{
    /// <summary>ALPN offered to clients, in order of preference.</summary>
    public static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly IReadOnlyList<ReloadingCertificate> _certificates;
    private readonly Dictionary<string, ReloadingCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ReloadingCertificate> _wildcard = new(StringComparer.OrdinalIgnoreCase);

    public SniCertificateSelector(IReadOnlyList<ReloadingCertificate> certificates)
    {
        if (certificates.Count == 0)
        {
            throw new ArgumentException("a TLS listener needs at least one certificate", nameof(certificates));
        }

        _certificates = certificates;
        foreach (var certificate in certificates)
        {
            foreach (var name in certificate.Config.ServerNames)
            {
                // The first certificate that names a host wins, as in file order.
                var table = name.StartsWith("*.", StringComparison.Ordinal) ? _wildcard : _exact;
                table.TryAdd(name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name, certificate);
            }
        }
    }

    /// <summary>Returns the certificate for <paramref name="serverName"/>; null or unknown names get the first one.</summary>
    public PemCertificate Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            var name = serverName.TrimEnd('.');
            if (_exact.TryGetValue(name, out var exact))
            {
                return exact.Current;
            }

            var dot = name.IndexOf('.');
            if (dot > 0 && _wildcard.TryGetValue(name[(dot + 1)..], out var wildcard))
            {
                return wildcard.Current;
            }
        }

        return _certificates[0].Current;
    }

    /// <summary>Builds the server options of one handshake: TLS 1.2 and 1.3 only, ALPN h2 and http/1.1.</summary>
    public SslServerAuthenticationOptions CreateOptions(string? serverName) => new()
    {
        ServerCertificateContext = Select(serverName).Context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = Alpn,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
    };
}
