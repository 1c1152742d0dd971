using System.Globalization;
using System.Net;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `HOST:PORT` as used by bind and server lines; IPv6 hosts are written in brackets.</summary>
internal static class AddressParser
{
    /// <param name="requireHost">False for bind lines, where an empty host or '*' means every address.</param>
    /// <param name="host">The host without brackets, or null for every address.</param>
    public static bool TryParseHostPort(string text, bool requireHost, out string? host, out int port, out string problem)
    {
        host = null;
        port = 0;
        problem = "";
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            problem = $"address prefix '{text[..(at + 1)]}' is not supported yet";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = $"expects HOST:PORT, got '{text}'; the port is required";
            return false;
        }

        var hostText = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            problem = portText.Contains('-', StringComparison.Ordinal)
                ? $"port range '{portText}' is not supported yet"
                : $"expects a port from 0 to 65535 in '{text}', got '{portText}'";
            return false;
        }

        if (hostText.StartsWith('[') && hostText.EndsWith(']'))
        {
            hostText = hostText[1..^1];
            if (!IPAddress.TryParse(hostText, out _))
            {
                problem = $"expects an IPv6 address inside brackets in '{text}'";
                return false;
            }
        }

        if (hostText is "" or "*")
        {
            if (requireHost)
            {
                problem = $"expects a host before the port in '{text}'";
                return false;
            }

            return true;
        }

        host = hostText;
        if (!requireHost && hostText != "localhost" && !IPAddress.TryParse(hostText, out _))
        {
            problem = $"expects an IP address, '*' or 'localhost' before the port in '{text}', got '{hostText}'";
            return false;
        }

        return true;
    }
}
