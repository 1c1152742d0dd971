using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Tls;

/// <summary>The `ssl` options of one `server` line.</summary>
public sealed class ServerTlsSettings
{
    /// <summary>`verify required` (HAProxy's default) or `verify none`.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>`ca-file`: the certificates the server's chain must end in; empty with `ca-file @system-ca` or `verify none`.</summary>
    public X509Certificate2Collection Authorities { get; init; } = [];

    /// <summary>True for `ca-file @system-ca`: the operating system's trust store decides.</summary>
    public bool SystemAuthorities { get; init; }

    /// <summary>`sni`: the expression whose value names the server, or null when unset.</summary>
    internal SampleExpression? Sni { get; init; }

    /// <summary>The value of `sni str(NAME)`, known at load; null for other expressions.</summary>
    public string? SniLiteral { get; init; }

    /// <summary>`verifyhost`: the name checked against the certificate when `sni` is unset.</summary>
    public string? VerifyHost { get; init; }

    /// <summary>`alpn`: protocols offered; h2 in the list lets the connection negotiate HTTP/2.</summary>
    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>`crt`: the client certificate presented to the server, or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public bool OffersHttp2 => Alpn.Contains("h2");
}
