using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Parses the options after the address of a bind line: `ssl crt FILE|DIR [crt ...] [alpn LIST]
/// [ssl-min-ver V] [ssl-max-ver V] [verify none|optional|required] [ca-file FILE]`.
/// </summary>
internal static class BindTlsParser
{
    public static readonly string[] Options = ["ssl", "crt", "alpn", "ssl-min-ver", "ssl-max-ver", "verify", "ca-file"];

    private static readonly HashSet<string> NotSupported = new(StringComparer.Ordinal)
    {
        "accept-proxy", "allow-0rtt", "ca-ignore-err", "ca-sign-file", "ciphers", "ciphersuites", "crl-file", "crt-ignore-err",
        "crt-list", "curves", "defer-accept", "ecdhe", "expose-fd", "force-sslv3", "force-tlsv10", "force-tlsv11",
        "force-tlsv12", "force-tlsv13", "generate-certificates", "gid", "group", "id", "interface", "level", "maxconn",
        "mode", "mss", "name", "namespace", "nice", "no-ca-names", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12",
        "no-tlsv13", "no-tls-tickets", "npn", "prefer-client-ciphers", "process", "proto", "quic-cc-algo", "severity-output",
        "sigalgs", "client-sigalgs", "strict-sni", "tcp-ut", "tfo", "thread", "tls-ticket-keys", "transparent",
        "uid", "user", "v4v6", "v6only", "backlog",
    };

    /// <summary>Returns the TLS settings, null for a plain bind or when a problem was added.</summary>
    public static BindTlsSettings? Parse(ConfigLine line, string baseDirectory, List<string> problems)
    {
        var builder = new Builder();
        for (var i = 2; i < line.Count; i++)
        {
            if (!ParseOption(line, ref i, baseDirectory, builder, problems))
            {
                return null;
            }
        }

        return builder.Build(line.Location, problems);
    }

    private static bool ParseOption(ConfigLine line, ref int i, string baseDirectory, Builder builder, List<string> problems)
    {
        var option = line[i];
        var count = problems.Count;
        switch (option)
        {
            case "ssl":
                builder.Ssl = true;
                break;
            case "crt":
                var path = TlsOptionReader.Value(line, ref i);
                if (path is null)
                {
                    problems.Add("option 'crt' expects a PEM file or a directory of PEM files");
                    return false;
                }

                builder.Certificates.AddRange(PemCertificateLoader.Load(TlsOptionReader.ResolvePath(path, baseDirectory), problems));
                break;
            case "alpn":
                builder.Alpn = TlsOptionReader.ParseAlpn(TlsOptionReader.Value(line, ref i) ?? "", problems);
                break;
            case "ssl-min-ver":
                builder.MinVersion = TlsOptionReader.ParseVersion(option, TlsOptionReader.Value(line, ref i), problems);
                break;
            case "ssl-max-ver":
                builder.MaxVersion = TlsOptionReader.ParseVersion(option, TlsOptionReader.Value(line, ref i), problems);
                break;
            case "verify":
                builder.Verify = ParseVerify(TlsOptionReader.Value(line, ref i), problems);
                break;
            case "ca-file":
                builder.Authorities = TlsOptionReader.LoadAuthorities(TlsOptionReader.Value(line, ref i), baseDirectory, problems);
                break;
            default:
                problems.Add(NotSupported.Contains(option)
                    ? $"option '{option}' is not supported yet"
                    : $"unknown option '{option}'; expected one of {string.Join(", ", Options)}" + Suggestions.DidYouMean(option, Options));
                return false;
        }

        return problems.Count == count;
    }

    private static ClientVerify? ParseVerify(string? value, List<string> problems)
    {
        switch (value)
        {
            case "none":
                return ClientVerify.None;
            case "optional":
                return ClientVerify.Optional;
            case "required":
                return ClientVerify.Required;
            default:
                problems.Add($"option 'verify' expects none, optional or required, got '{value ?? "nothing"}'");
                return null;
        }
    }

    private sealed class Builder
    {
        public bool Ssl { get; set; }

        public List<SslStreamCertificateContext> Certificates { get; } = [];

        public IReadOnlyList<string>? Alpn { get; set; }

        public SslProtocols? MinVersion { get; set; }

        public SslProtocols? MaxVersion { get; set; }

        public ClientVerify? Verify { get; set; }

        public X509Certificate2Collection? Authorities { get; set; }

        public BindTlsSettings? Build(ConfigLocation location, List<string> problems)
        {
            if (!Ssl)
            {
                if (Certificates.Count > 0 || Alpn is not null || Verify is not null || Authorities is not null || MinVersion is not null || MaxVersion is not null)
                {
                    problems.Add("TLS options need 'ssl', such as 'bind :443 ssl crt /etc/haproxy/site.pem'");
                }

                return null;
            }

            if (Certificates.Count == 0)
            {
                problems.Add("'ssl' needs at least one certificate, such as 'ssl crt /etc/haproxy/site.pem'");
                return null;
            }

            var verify = Verify ?? ClientVerify.None;
            if (verify != ClientVerify.None && Authorities is null)
            {
                problems.Add($"'verify {verify.ToString().ToLowerInvariant()}' needs 'ca-file FILE' with the CA certificates that sign client certificates");
                return null;
            }

            var protocols = TlsOptionReader.CombineVersions(MinVersion, MaxVersion, problems);
            if (protocols is null)
            {
                return null;
            }

            return new BindTlsSettings(Certificates, location)
            {
                Alpn = Alpn ?? [],
                Protocols = protocols.Value,
                Verify = verify,
                ClientCertificateAuthorities = Authorities ?? [],
            };
        }
    }
}
