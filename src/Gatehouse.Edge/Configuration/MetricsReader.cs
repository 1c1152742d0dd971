using System.Net;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// The edge's metrics listener, from the <c>[metrics]</c> section: Prometheus text at <see cref="Path"/> and the edge
/// panel at "/" and "/stats", on a listener of its own that never serves the public routes.
/// </summary>
public sealed record MetricsConfig(string Listen, string Path, int Line)
{
    public const string DefaultListen = "127.0.0.1:9464";

    public const string DefaultPath = "/metrics";
}

/// <summary>Reads the <c>[metrics]</c> section.</summary>
internal static class MetricsReader
{
    private const int MaxPathLength = 256;

    /// <summary>
    /// Returns the section's settings; <paramref name="publicListens"/> are the addresses of the public listeners,
    /// which the metrics listener must not share.
    /// </summary>
    public static MetricsConfig Read(SectionReader reader, IEnumerable<string> publicListens)
    {
        var listen = reader.String("listen", MetricsConfig.DefaultListen)!;
        var path = reader.String("path", MetricsConfig.DefaultPath)!;
        reader.ReportUnknownKeys();

        if (!ListenAddress.TryParse(listen, out var endPoint))
        {
            reader.Error(reader.LineOf("listen"), "key 'listen' in [metrics] must be IP:port, [IPv6]:port, localhost:port or *:port, "
                + $"for example listen = \"{MetricsConfig.DefaultListen}\"; got \"{listen}\"");
        }
        else if (endPoint.Port != 0 && publicListens.Any(other => SameEndPoint(endPoint, other)))
        {
            reader.Error(reader.LineOf("listen"), $"key 'listen' in [metrics] is \"{listen}\", an address a public edge listener uses; "
                + $"metrics are never served on public listeners, so choose another port, for example \"{MetricsConfig.DefaultListen}\"");
        }

        ValidatePath(reader, path);
        return new MetricsConfig(listen, path, reader.Line);
    }

    private static void ValidatePath(SectionReader reader, string path)
    {
        if (!path.StartsWith('/') || path.Length > MaxPathLength || path.Any(c => c <= ' ' || c is '?' or '#' or '%' or (char)127))
        {
            reader.Error(reader.LineOf("path"), $"key 'path' in [metrics] must be a path of at most {MaxPathLength} characters that starts "
                + $"with '/' and has no spaces, '?', '#' or '%', for example path = \"{MetricsConfig.DefaultPath}\"; got \"{path}\"");
        }
        else if (path is "/" or "/stats")
        {
            reader.Error(reader.LineOf("path"), $"key 'path' in [metrics] must not be \"{path}\", where the listener serves the edge panel; "
                + $"use another path, for example \"{MetricsConfig.DefaultPath}\"");
        }
    }

    // Ports are compared when both parse; a wildcard public address shares every address of its port.
    private static bool SameEndPoint(IPEndPoint metrics, string other)
    {
        if (!ListenAddress.TryParse(other, out var endPoint) || endPoint.Port != metrics.Port)
        {
            return false;
        }

        return endPoint.Address.Equals(metrics.Address)
            || endPoint.Address.Equals(IPAddress.IPv6Any) || endPoint.Address.Equals(IPAddress.Any)
            || metrics.Address.Equals(IPAddress.IPv6Any) || metrics.Address.Equals(IPAddress.Any);
    }
}
