using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Balancer.StickTables;

/// <summary>Converts sample values to a table's key form, as HAProxy converts a sample to the table type.</summary>
internal static class StickKeys
{
    /// <summary>Returns the key for <paramref name="value"/>, or null when it cannot be converted, so the track or lookup is skipped.</summary>
    public static string? Normalize(StickTableDefinition table, string? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (table.KeyType)
        {
            case StickKeyType.Ip or StickKeyType.Ipv6:
                return IPAddress.TryParse(value, out var address) ? Normalize(table, address) : null;
            case StickKeyType.Integer:
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    ? number.ToString(CultureInfo.InvariantCulture)
                    : null;
            default:
                return value.Length <= table.KeyLength ? value : value[..table.KeyLength];
        }
    }

    /// <summary>Returns the key for an address: IPv4 text in `type ip` tables, IPv6 text in `type ipv6` tables.</summary>
    public static string? Normalize(StickTableDefinition table, IPAddress address)
    {
        return table.KeyType switch
        {
            StickKeyType.Ip when address.AddressFamily == AddressFamily.InterNetwork => address.ToString(),
            StickKeyType.Ip when address.IsIPv4MappedToIPv6 => address.MapToIPv4().ToString(),

            // A plain IPv6 address has no IPv4 form, so an `ip` table cannot hold it.
            StickKeyType.Ip => null,
            StickKeyType.Ipv6 => address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6().ToString() : address.ToString(),
            _ => Normalize(table, address.ToString()),
        };
    }
}
