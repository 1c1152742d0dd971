namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads how the edge connects to the balancer: <c>http2</c> in <c>[balancer]</c> and its TLS settings, written
/// inline as <c>tls = { ca = "...", ... }</c> or as a <c>[balancer.tls]</c> table.
/// </summary>
internal static class BalancerTlsReader
{
    private static readonly string[] FileKeys = ["ca", "client_cert", "client_key"];

    /// <summary>
    /// Reads the settings. <paramref name="table"/> is the <c>[balancer.tls]</c> section when the file has one;
    /// <paramref name="createReader"/> turns an inline table into a reader with the same checks.
    /// </summary>
    public static (BalancerTlsConfig? Tls, bool Http2) Read(
        SectionReader balancer, SectionReader? table, Uri balancerUrl, string baseDirectory, Func<TomlSection, SectionReader> createReader)
    {
        var http2 = balancer.Boolean("http2", false);
        var reader = table ?? InlineReader(balancer, createReader);
        if (reader is null)
        {
            return (null, http2);
        }

        if (table is not null && balancer.Has("tls"))
        {
            balancer.Error(balancer.LineOf("tls"), "[balancer] has both key 'tls' and a [balancer.tls] table; keep one");
        }

        var tls = ReadTls(reader, baseDirectory);
        if (balancerUrl.Scheme != Uri.UriSchemeHttps)
        {
            reader.Error(reader.Line, $"TLS settings for the balancer need an https:// url in [balancer]; got \"{balancerUrl}\"");
        }

        return (tls, http2);
    }

    private static SectionReader? InlineReader(SectionReader balancer, Func<TomlSection, SectionReader> createReader)
    {
        if (!balancer.Has("tls"))
        {
            return null;
        }

        var line = balancer.LineOf("tls");
        if (balancer.Table("tls") is not { } values)
        {
            balancer.Error(line, "key 'tls' in [balancer] must be an inline table, for example tls = { ca = \"tls/ca.pem\" }");
            return null;
        }

        var entries = values.Select(pair => new TomlEntry(pair.Key, pair.Value, line)).ToList();
        return createReader(new TomlSection("balancer.tls", false, line, entries));
    }

    private static BalancerTlsConfig ReadTls(SectionReader reader, string baseDirectory)
    {
        var paths = FileKeys.ToDictionary(key => key, key => ReadFile(reader, key, baseDirectory));
        var serverName = reader.String("server_name");
        reader.ReportUnknownKeys();
        if ((paths["client_cert"] is null) != (paths["client_key"] is null))
        {
            reader.Error(reader.Line, "the balancer's 'client_cert' and 'client_key' must be set together; add the missing one or remove both");
        }

        if (serverName is not null && Uri.CheckHostName(serverName) == UriHostNameType.Unknown)
        {
            reader.Error(reader.LineOf("server_name"), $"key 'server_name' in {reader.Title} must be a host name; got \"{serverName}\"");
        }

        return new BalancerTlsConfig
        {
            CaPath = paths["ca"],
            ClientCertificatePath = paths["client_cert"],
            ClientKeyPath = paths["client_key"],
            ServerName = serverName,
            Line = reader.Line,
        };
    }

    private static string? ReadFile(SectionReader reader, string key, string baseDirectory)
    {
        var value = reader.String(key);
        if (value is null)
        {
            return null;
        }

        var path = Path.GetFullPath(value, baseDirectory);
        if (!File.Exists(path))
        {
            reader.Error(reader.LineOf(key), $"key '{key}' in {reader.Title}: file \"{path}\" not found; fix the path");
        }

        return path;
    }
}
