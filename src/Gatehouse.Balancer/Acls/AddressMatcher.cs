using System.Net;

namespace Gatehouse.Balancer.Acls;

/// <summary>`-m ip`: the value matches when it lies in any of the addresses or CIDR networks.</summary>
internal sealed class AddressMatcher : PatternMatcher
{
    private readonly IPNetwork[] _networks;

    private AddressMatcher(IPNetwork[] networks)
    {
        _networks = networks;
    }

    public static AddressMatcher Create(IReadOnlyList<string> patterns, List<string> problems)
    {
        var networks = new List<IPNetwork>();
        foreach (var pattern in patterns)
        {
            if (TryParseNetwork(pattern, out var network))
            {
                networks.Add(network);
            }
            else
            {
                problems.Add($"invalid address pattern '{pattern}'; expected an IP address or a CIDR network such as 10.0.0.0/8");
            }
        }

        return new AddressMatcher([.. networks]);
    }

    /// <summary>Parses an address or CIDR network; host bits after the prefix are cleared, as HAProxy does.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), out prefix) || prefix < 0 || prefix > bytes.Length * 8))
        {
            return false;
        }

        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }

    public override bool Match(ReadOnlySpan<char> value) =>
        IPAddress.TryParse(value.Trim(), out var address) && MatchAddress(address);

    public override bool MatchAddress(IPAddress value)
    {
        var address = value.IsIPv4MappedToIPv6 ? value.MapToIPv4() : value;
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
