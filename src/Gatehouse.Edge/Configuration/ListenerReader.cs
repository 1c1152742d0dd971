using System.Net.Quic;
using Gatehouse.Edge.Tls;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads <c>[[listeners]]</c> sections and the <c>[[listeners.certificates]]</c> that follow each one. Certificate
/// files are loaded at once, so a missing file, a key that does not match or an expired certificate stops the load.
/// </summary>
internal static class ListenerReader
{
    /// <summary>Most listeners one edge opens.</summary>
    public const int MaxListeners = 16;

    /// <summary>Most certificates on one listener.</summary>
    public const int MaxCertificates = 64;

    /// <summary>Reads the listener sections, given in file order.</summary>
    public static List<EdgeListenerConfig> Read(IReadOnlyList<(TomlSection Section, SectionReader Reader)> sections, string baseDirectory)
    {
        var listeners = new List<EdgeListenerConfig>();
        SectionReader? current = null;
        var certificates = new List<ListenerCertificate>();
        foreach (var (section, reader) in sections)
        {
            if (section.Name == "listeners")
            {
                AddListener(current, certificates, listeners);
                current = reader;
                certificates = [];
            }
            else if (current is null)
            {
                reader.Error(section.Line, "[[listeners.certificates]] must follow the [[listeners]] section it belongs to");
            }
            else if (ReadCertificate(reader, baseDirectory) is { } certificate)
            {
                certificates.Add(certificate);
            }
        }

        AddListener(current, certificates, listeners);
        ReportDuplicateAddresses(listeners, sections);
        return listeners;
    }

    // Port 0 picks a free port for each listener, so only fixed ports can collide.
    private static void ReportDuplicateAddresses(List<EdgeListenerConfig> listeners, IReadOnlyList<(TomlSection Section, SectionReader Reader)> sections)
    {
        var fixedPorts = listeners.Where(listener => !listener.Address.EndsWith(":0", StringComparison.Ordinal));
        foreach (var duplicate in fixedPorts.GroupBy(listener => listener.Address).Where(group => group.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            sections[0].Reader.Error(second.Line, $"[[listeners]] address \"{duplicate.Key}\" is already used at line {duplicate.First().Line}; give each listener its own address");
        }
    }

    private static void AddListener(SectionReader? reader, List<ListenerCertificate> certificates, List<EdgeListenerConfig> listeners)
    {
        if (reader is null)
        {
            return;
        }

        if (listeners.Count == MaxListeners)
        {
            reader.Error(reader.Line, $"too many [[listeners]]; at most {MaxListeners} are allowed");
            return;
        }

        if (certificates.Count > MaxCertificates)
        {
            reader.Error(reader.Line, $"[[listeners]] has {certificates.Count} certificates; at most {MaxCertificates} are allowed");
        }

        var address = reader.RequiredString("address", "127.0.0.1:8443");
        if (reader.Has("address") && !ListenAddress.TryParse(address, out _))
        {
            reader.Error(reader.LineOf("address"), $"key 'address' in [[listeners]] must be IP:port, [IPv6]:port, localhost:port or *:port, for example \"127.0.0.1:8443\"; got \"{address}\"");
        }

        var http3 = reader.Boolean("http3", false);
        var mode = ReadMode(reader, certificates.Count > 0);
        var redirectPort = reader.Has("redirect_port") ? (int?)reader.Integer("redirect_port", 443, 1, 65535) : null;
        if (redirectPort is not null && mode != PlainMode.Redirect)
        {
            reader.Error(reader.LineOf("redirect_port"), "key 'redirect_port' in [[listeners]] only applies with plain = \"redirect\"; remove it or set plain = \"redirect\"");
        }

        CheckHttp3(reader, http3, certificates.Count > 0);
        reader.ReportUnknownKeys();
        listeners.Add(new EdgeListenerConfig
        {
            Address = address,
            Line = reader.Line,
            Certificates = certificates,
            Http3 = http3,
            Mode = mode,
            RedirectPort = redirectPort,
        });
    }

    private static PlainMode ReadMode(SectionReader reader, bool isTls)
    {
        var text = reader.String("plain", "serve");
        if (isTls && reader.Has("plain"))
        {
            reader.Error(reader.LineOf("plain"), "key 'plain' in [[listeners]] only applies to listeners without [[listeners.certificates]]; remove it");
        }

        switch (text)
        {
            case "serve":
                return PlainMode.Serve;
            case "redirect":
                return PlainMode.Redirect;
            default:
                reader.Error(reader.LineOf("plain"), $"key 'plain' in [[listeners]] must be \"serve\" or \"redirect\" (308 to https); got \"{text}\"");
                return PlainMode.Serve;
        }
    }

    private static void CheckHttp3(SectionReader reader, bool http3, bool isTls)
    {
        if (!http3)
        {
            return;
        }

        if (!isTls)
        {
            reader.Error(reader.LineOf("http3"), "key 'http3' in [[listeners]] needs TLS; add a [[listeners.certificates]] section or remove http3");
        }
        else if (!IsQuicSupported())
        {
            reader.Error(reader.LineOf("http3"), "key 'http3' in [[listeners]] needs QUIC, which is not available on this machine: install libmsquic (for example the libmsquic package from packages.microsoft.com) or remove http3");
        }
    }

    private static bool IsQuicSupported() =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) && QuicListener.IsSupported;

    private static ListenerCertificate? ReadCertificate(SectionReader reader, string baseDirectory)
    {
        var certificate = reader.RequiredString("cert", "tls/site.pem");
        var key = reader.RequiredString("key", "tls/site.key");
        var names = reader.StringList("sni") ?? [];
        reader.ReportUnknownKeys();
        foreach (var name in names.Where(name => !IsValidServerName(name)))
        {
            reader.Error(reader.LineOf("sni"), $"key 'sni' in [[listeners.certificates]] has \"{name}\", which is not a host name or a *.domain wildcard");
        }

        if (certificate.Length == 0 || key.Length == 0)
        {
            return null;
        }

        var certificatePath = Path.GetFullPath(certificate, baseDirectory);
        var keyPath = Path.GetFullPath(key, baseDirectory);
        using var loaded = PemCertificate.TryLoad(certificatePath, keyPath, DateTimeOffset.UtcNow, out var error);
        if (loaded is null)
        {
            reader.Error(reader.LineOf("cert"), $"[[listeners.certificates]]: {error}; fix 'cert' and 'key'");
            return null;
        }

        return new ListenerCertificate
        {
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            ServerNames = names.Select(name => name.ToLowerInvariant()).ToList(),
            Line = reader.Line,
        };
    }

    private static bool IsValidServerName(string name)
    {
        var host = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        return host.Length is > 0 and <= 253 && Uri.CheckHostName(host) == UriHostNameType.Dns && !host.Contains('*');
    }
}
