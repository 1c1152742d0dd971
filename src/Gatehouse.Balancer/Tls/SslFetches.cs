using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gatehouse.Balancer.Acls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// The `ssl_fc_*` and `ssl_c_*` sample fetches over the client connection's TLS state. Each returns no value on a
/// plain connection, as in HAProxy, except the booleans, which are then false.
/// </summary>
internal static class SslFetches
{
    public static readonly StringFetch ServerName = new(c => ReadServerName(c.Http));

    public static readonly StringFetch Protocol = new(c => c.Http.Request.IsHttps ? ProtocolName(Handshake(c.Http)?.Protocol) : null);

    public static readonly StringFetch Alpn = new(c => ReadAlpn(c.Http));

    public static readonly BooleanFetch ClientCertificateUsed = new(c => ClientCertificate(c.Http) is not null);

    public static readonly IntegerFetch ClientVerifyResult = new(c => c.Http.Request.IsHttps ? ReadVerifyResult(c.Http) : null);

    public static readonly StringFetch ClientSubject = new(c => ClientCertificate(c.Http) is { } certificate ? DistinguishedNames.OneLine(certificate.SubjectName) : null);

    private static ITlsHandshakeFeature? Handshake(HttpContext http) => http.Features.Get<ITlsHandshakeFeature>();

    private static string? ReadServerName(HttpContext http)
    {
        if (!http.Request.IsHttps)
        {
            return null;
        }

        var name = Handshake(http)?.HostName;
        return string.IsNullOrEmpty(name) ? null : name;
    }

    private static X509Certificate2? ClientCertificate(HttpContext http) => http.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;

    private static string? ProtocolName(SslProtocols? protocol) => protocol switch
    {
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        null or SslProtocols.None => null,
        var other => other.ToString(),
    };

    private static string? ReadAlpn(HttpContext http)
    {
        var protocol = http.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        return protocol.IsEmpty ? null : Encoding.ASCII.GetString(protocol.Span);
    }

    private static long? ReadVerifyResult(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ClientCertificateCheck.VerifyResultItemKey, out var value) == true
            ? value as long?
            : 0;
}
