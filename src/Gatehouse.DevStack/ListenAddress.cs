using System.Net;

namespace Gatehouse.DevStack;

/// <summary>
/// Parser for listen addresses written as <c>IP:PORT</c> (<c>127.0.0.1:8090</c>, <c>[::1]:0</c>).
/// </summary>
internal static class ListenAddress
{
    /// <summary>
    /// Parses <paramref name="value"/>. Port 0 lets the operating system pick a free port.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not an IP literal with a port.</exception>
    public static IPEndPoint Parse(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        var lastColon = value.LastIndexOf(':');
        var hasPort = lastColon > 0 && lastColon < value.Length - 1 && !value.EndsWith(']');
        if (!hasPort || !IPEndPoint.TryParse(value, out var endPoint))
        {
            throw new ArgumentException(
                $"Invalid listen address '{value}': expected IP:PORT such as 127.0.0.1:8090 or [::1]:0.",
                parameterName);
        }

        return endPoint;
    }

    /// <summary>
    /// Builds the http URI of a bound end point, for example <c>http://127.0.0.1:8090</c>.
    /// </summary>
    public static Uri ToHttpUri(IPEndPoint endPoint, string path = "")
    {
        var builder = new UriBuilder(Uri.UriSchemeHttp, endPoint.Address.ToString(), endPoint.Port, path);
        return builder.Uri;
    }
}
