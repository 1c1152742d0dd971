using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Collects the TLS and protocol options of a server line: `ssl`, `verify none|required`, `ca-file FILE|@system-ca`,
/// `sni EXPR`, `verifyhost NAME`, `alpn LIST`, `crt FILE`, `check-ssl` and `proto h2`.
/// </summary>
internal sealed class ServerTlsParser
{
    public static readonly string[] Options = ["ssl", "verify", "ca-file", "sni", "verifyhost", "alpn", "crt", "check-ssl", "proto"];

    private readonly string _baseDirectory;
    private bool _ssl;
    private bool _checkSsl;
    private bool? _verify;
    private X509Certificate2Collection? _authorities;
    private bool _systemAuthorities;
    private SampleExpression? _sni;
    private string? _verifyHost;
    private IReadOnlyList<string>? _alpn;
    private X509Certificate2? _clientCertificate;

    public ServerTlsParser(string baseDirectory)
    {
        _baseDirectory = baseDirectory;
    }

    /// <summary>`proto h2` was given.</summary>
    public bool Http2 { get; private set; }

    public static bool IsOption(string option) => Options.Contains(option);

    /// <summary>Reads option <paramref name="i"/> and its value; returns false after adding a problem.</summary>
    public bool ParseOption(ConfigLine line, ref int i, List<string> problems)
    {
        var option = line[i];
        var count = problems.Count;
        switch (option)
        {
            case "ssl":
                _ssl = true;
                break;
            case "check-ssl":
                _checkSsl = true;
                break;
            case "verify":
                _verify = TlsOptionReader.Value(line, ref i) switch
                {
                    "none" => false,
                    "required" => true,
                    var other => Invalid(problems, $"option 'verify' expects none or required, got '{other ?? "nothing"}'"),
                };
                break;
            case "ca-file":
                ParseAuthorities(TlsOptionReader.Value(line, ref i), problems);
                break;
            case "sni":
                _sni = ParseSni(TlsOptionReader.Value(line, ref i), problems);
                break;
            case "verifyhost":
                _verifyHost = TlsOptionReader.Value(line, ref i) ?? Invalid<string>(problems, "option 'verifyhost' expects a host name");
                break;
            case "alpn":
                _alpn = TlsOptionReader.ParseAlpn(TlsOptionReader.Value(line, ref i) ?? "", problems);
                break;
            case "crt":
                ParseClientCertificate(TlsOptionReader.Value(line, ref i), problems);
                break;
            case "proto":
                var protocol = TlsOptionReader.Value(line, ref i);
                Http2 = protocol == "h2" || Invalid(problems, $"option 'proto' expects h2, got '{protocol ?? "nothing"}'");
                break;
            default:
                problems.Add($"option '{option}' is not a TLS option; expected one of {string.Join(", ", Options)}");
                break;
        }

        return problems.Count == count;
    }

    /// <summary>Returns the TLS settings, or null for a plain server or when a problem was added.</summary>
    public ServerTlsSettings? Build(List<string> problems)
    {
        if (!_ssl)
        {
            if (_checkSsl)
            {
                problems.Add("option 'check-ssl' without 'ssl' is not supported yet; checks use TLS when the server line has 'ssl'");
            }
            else if (_verify is not null || _authorities is not null || _systemAuthorities || _sni is not null || _alpn is not null || _clientCertificate is not null || _verifyHost is not null)
            {
                problems.Add("TLS options need 'ssl', such as 'server s1 10.0.0.1:443 ssl verify required ca-file /etc/ssl/ca.pem'");
            }

            return null;
        }

        var verify = _verify ?? true;
        if (verify && _authorities is null && !_systemAuthorities)
        {
            problems.Add("verify is enabled by default but no CA file is specified; add 'ca-file FILE' (or 'ca-file @system-ca'), "
                + "or 'verify none' when the server's certificate need not be checked");
            return null;
        }

        return new ServerTlsSettings
        {
            Verify = verify,
            Authorities = _authorities ?? [],
            SystemAuthorities = _systemAuthorities,
            Sni = _sni,
            SniLiteral = LiteralOf(_sni),
            VerifyHost = _verifyHost,
            Alpn = _alpn ?? [],
            ClientCertificate = _clientCertificate,
        };
    }

    // `str(NAME)` without converters is a constant, so its value is known at load.
    private static string? LiteralOf(SampleExpression? sni) =>
        sni?.Text is { } text && text.StartsWith("str(", StringComparison.Ordinal) && text.EndsWith(')') ? text[4..^1] : null;

    private void ParseAuthorities(string? value, List<string> problems)
    {
        if (value == "@system-ca")
        {
            _systemAuthorities = true;
            return;
        }

        _authorities = TlsOptionReader.LoadAuthorities(value, _baseDirectory, problems);
    }

    private static SampleExpression? ParseSni(string? value, List<string> problems)
    {
        if (value is null)
        {
            problems.Add("option 'sni' expects a sample expression, such as 'sni req.hdr(host)' or 'sni str(www.example.com)'");
            return null;
        }

        var nested = new List<string>();
        var expression = SampleExpression.Parse(value, nested);
        problems.AddRange(nested.Select(problem => $"option 'sni': {problem}"));
        return expression;
    }

    private void ParseClientCertificate(string? value, List<string> problems)
    {
        if (value is null)
        {
            problems.Add("option 'crt' expects a PEM file with the client certificate and its key");
            return;
        }

        _clientCertificate = PemCertificateLoader.LoadCertificateWithKey(TlsOptionReader.ResolvePath(value, _baseDirectory), problems);
    }

    private static bool Invalid(List<string> problems, string problem) => Invalid<bool>(problems, problem);

    private static T? Invalid<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default;
    }
}
