using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tls;

/// <summary>Reads the option values that bind and server lines share: paths, ALPN lists and TLS versions.</summary>
internal static class TlsOptionReader
{
    /// <summary>Protocols an `alpn` list may name at most; HAProxy lists rarely hold more than two.</summary>
    public const int MaxAlpnProtocols = 8;

    public static readonly string[] AlpnProtocols = ["h2", "http/1.1", "http/1.0"];

    /// <summary>Returns the value after option <paramref name="i"/>, advancing past it, or null when the line ends.</summary>
    public static string? Value(ConfigLine line, ref int i)
    {
        if (i + 1 >= line.Count)
        {
            return null;
        }

        i++;
        return line[i];
    }

    /// <summary>Resolves a path relative to the configuration file's directory.</summary>
    public static string ResolvePath(string path, string baseDirectory) =>
        Path.GetFullPath(path, Path.GetFullPath(string.IsNullOrEmpty(baseDirectory) ? "." : baseDirectory));

    public static IReadOnlyList<string>? ParseAlpn(string text, List<string> problems)
    {
        var protocols = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (protocols.Length == 0 || protocols.Length > MaxAlpnProtocols)
        {
            problems.Add($"option 'alpn' expects 1 to {MaxAlpnProtocols} comma-separated protocols, such as 'alpn h2,http/1.1', got '{text}'");
            return null;
        }

        var unknown = protocols.FirstOrDefault(protocol => !AlpnProtocols.Contains(protocol));
        if (unknown is not null)
        {
            problems.Add($"option 'alpn' names protocol '{unknown}', which is not supported; expected {string.Join(", ", AlpnProtocols)}");
            return null;
        }

        return protocols;
    }

    /// <summary>Parses TLSv1.2 or TLSv1.3; older versions are rejected because only TLS 1.2 and 1.3 are offered.</summary>
    public static SslProtocols? ParseVersion(string option, string? text, List<string> problems)
    {
        switch (text)
        {
            case "TLSv1.2":
                return SslProtocols.Tls12;
            case "TLSv1.3":
                return SslProtocols.Tls13;
            case "SSLv3" or "TLSv1.0" or "TLSv1.1":
                problems.Add($"option '{option}' value '{text}' is not supported; Gatehouse offers only TLSv1.2 and TLSv1.3");
                return null;
            default:
                problems.Add($"option '{option}' expects TLSv1.2 or TLSv1.3, got '{text ?? "nothing"}'");
                return null;
        }
    }

    /// <summary>Combines `ssl-min-ver` and `ssl-max-ver` into the enabled protocols.</summary>
    public static SslProtocols? CombineVersions(SslProtocols? min, SslProtocols? max, List<string> problems)
    {
        var low = min ?? SslProtocols.Tls12;
        var high = max ?? SslProtocols.Tls13;
        if (low > high)
        {
            problems.Add("'ssl-min-ver' is above 'ssl-max-ver'; the two leave no TLS version to use");
            return null;
        }

        return low == high ? low : SslProtocols.Tls12 | SslProtocols.Tls13;
    }

    public static X509Certificate2Collection? LoadAuthorities(string? value, string baseDirectory, List<string> problems)
    {
        if (value is null)
        {
            problems.Add("option 'ca-file' expects a PEM file of CA certificates");
            return null;
        }

        var loaded = PemCertificateLoader.LoadAuthorities(ResolvePath(value, baseDirectory), problems);
        return loaded.Count == 0 ? null : loaded;
    }
}
