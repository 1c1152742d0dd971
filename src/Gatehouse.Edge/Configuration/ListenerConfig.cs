namespace Gatehouse.Edge.Configuration;

/// <summary>One <c>[[listeners]]</c> entry: a TCP address that serves plain HTTP or HTTPS.</summary>
public sealed class EdgeListenerConfig
{
    /// <summary>Address as host:port; port 0 picks a free port.</summary>
    public required string Address { get; init; }

    /// <summary>Line of the <c>[[listeners]]</c> section, for messages; 0 for listeners a host adds.</summary>
    public int Line { get; init; }

    /// <summary>Certificates in file order; the first is the default when no SNI name matches. Empty means plain HTTP.</summary>
    public IReadOnlyList<ListenerCertificate> Certificates { get; init; } = [];

    /// <summary>Also serves HTTP/3 over QUIC on the same port (UDP); needs libmsquic.</summary>
    public bool Http3 { get; init; }

    /// <summary>What a plain listener does with requests; always <see cref="PlainMode.Serve"/> on TLS listeners.</summary>
    public PlainMode Mode { get; init; } = PlainMode.Serve;

    /// <summary>HTTPS port named in redirects; null means the port of the first TLS listener.</summary>
    public int? RedirectPort { get; init; }

    public bool IsTls => Certificates.Count > 0;
}

/// <summary>What a plain HTTP listener does with a request.</summary>
public enum PlainMode
{
    /// <summary>Runs the request through the edge pipeline.</summary>
    Serve,

    /// <summary>Answers 308 with the same host, path and query on https.</summary>
    Redirect,
}

/// <summary>A PEM certificate chain and its private key, served to clients that ask for one of <see cref="ServerNames"/>.</summary>
public sealed class ListenerCertificate
{
    /// <summary>Full path of the PEM file: the leaf certificate first, then its intermediates.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>Full path of the PEM private key (PKCS#8, RSA or EC; unencrypted).</summary>
    public required string KeyPath { get; init; }

    /// <summary>
    /// SNI names this certificate serves: exact names and <c>*.example.com</c> wildcards, which match one label.
    /// Empty means the certificate is only chosen as the default.
    /// </summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    public int Line { get; init; }
}

/// <summary>How the edge connects to a balancer at an https:// URL, from <c>[balancer] tls</c>.</summary>
public sealed class BalancerTlsConfig
{
    /// <summary>PEM file of the CA certificates that may sign the balancer's certificate; null uses the system store.</summary>
    public string? CaPath { get; init; }

    /// <summary>PEM client certificate chain presented to the balancer; set together with <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; init; }

    public string? ClientKeyPath { get; init; }

    /// <summary>
    /// Name the balancer's certificate must carry, in place of the URL's host; for a balancer reached by IP address.
    /// The SNI name sent is still the URL's host.
    /// </summary>
    public string? ServerName { get; init; }

    public int Line { get; init; }
}
