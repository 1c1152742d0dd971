using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Balancer.Tls;

/// <summary>Formats distinguished names the way HAProxy's `ssl_c_s_dn` does: OpenSSL's one-line form, `/C=FR/O=Org/CN=name`.</summary>
internal static class DistinguishedNames
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "title",
        ["2.5.4.42"] = "GN",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>Writes each attribute as /SHORT=value in the order the certificate encodes them.</summary>
    public static string OneLine(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var relative in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            // NOTE: multi-valued RDNs, which certificates rarely carry, are left out of the text.
            if (relative.HasMultipleElements)
            {
                continue;
            }

            var oid = relative.GetSingleElementType().Value ?? "";
            text.Append('/').Append(ShortNames.GetValueOrDefault(oid, oid)).Append('=').Append(relative.GetSingleElementValue());
        }

        return text.ToString();
    }
}
