using System.Net;

namespace Gatehouse.Edge.Configuration;

/// <summary>Parses listener addresses: IP:port, [IPv6]:port, localhost:port and *:port.</summary>
internal static class ListenAddress
{
    /// <summary>Parses <paramref name="text"/>; "localhost" becomes the IPv4 loopback and "*" every IPv6 and IPv4 address.</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), out var port))
        {
            return false;
        }

        var host = text[..colon];
        IPAddress? address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" => IPAddress.IPv6Any,
            _ => IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null,
        };
        if (address is null || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('[') && host != "*"))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
