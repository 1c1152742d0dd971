using System.Globalization;
using Gatehouse.Balancer.Configuration;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Reads Accept-Encoding the way HAProxy 2.6 does to choose a `compression algo`.</summary>
internal static class AcceptEncoding
{
    /// <summary>
    /// Returns the algorithm for the first listed coding with a non-zero q value that one of
    /// <paramref name="algorithms"/> provides, in the client's order; `*` takes the first configured algorithm.
    /// </summary>
    public static CompressionAlgorithm? Choose(StringValues lines, IReadOnlyList<CompressionAlgorithm> algorithms)
    {
        foreach (var line in lines)
        {
            var text = line ?? "";
            foreach (var range in text.AsSpan().Split(','))
            {
                var item = text.AsSpan()[range];
                var semicolon = item.IndexOf(';');
                var coding = (semicolon < 0 ? item : item[..semicolon]).Trim();
                if (coding.IsEmpty || (semicolon >= 0 && HasZeroQuality(item[(semicolon + 1)..])))
                {
                    continue;
                }

                foreach (var algorithm in algorithms)
                {
                    if (coding.SequenceEqual("*") || coding.Equals(CodingName(algorithm), StringComparison.OrdinalIgnoreCase))
                    {
                        return algorithm;
                    }
                }
            }
        }

        return null;
    }

    private static string CodingName(CompressionAlgorithm algorithm) => algorithm switch
    {
        CompressionAlgorithm.Gzip => "gzip",
        CompressionAlgorithm.Identity => "identity",
        _ => "deflate",
    };

    private static bool HasZeroQuality(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var quality) && quality == 0;
            }
        }

        return false;
    }
}
