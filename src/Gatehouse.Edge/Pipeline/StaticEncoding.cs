using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Edge.Pipeline;

/// <summary>A content coding that a static file may have been precompressed with, stored beside it.</summary>
internal sealed record StaticEncoding(string Name, string FileSuffix)
{
    public static readonly StaticEncoding Brotli = new("br", ".br");

    public static readonly StaticEncoding Gzip = new("gzip", ".gz");

    /// <summary>Encodings in order of preference when the client rates them equally.</summary>
    public static readonly IReadOnlyList<StaticEncoding> All = [Brotli, Gzip];

    /// <summary>
    /// Picks the encoding with the highest quality value in <paramref name="acceptEncoding"/> among
    /// <paramref name="available"/>, preferring earlier entries on a tie. Returns null when the client
    /// accepts none of them: the header is missing or invalid, or every match has <c>q=0</c>.
    /// </summary>
    public static StaticEncoding? Negotiate(StringValues acceptEncoding, IReadOnlyList<StaticEncoding> available)
    {
        if (available.Count == 0 || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var offered))
        {
            return null;
        }

        StaticEncoding? best = null;
        var bestQuality = 0.0;
        foreach (var encoding in available)
        {
            var quality = QualityOf(encoding.Name, offered);
            if (quality > bestQuality)
            {
                best = encoding;
                bestQuality = quality;
            }
        }

        return best;
    }

    // An explicit entry overrides the "*" wildcard, so "br;q=0, *" still rejects br.
    private static double QualityOf(string name, IList<StringWithQualityHeaderValue> offered)
    {
        double? wildcard = null;
        foreach (var entry in offered)
        {
            if (string.Equals(entry.Value.Value, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Quality ?? 1.0;
            }

            if (entry.Value.Equals("*"))
            {
                wildcard = entry.Quality ?? 1.0;
            }
        }

        return wildcard ?? 0.0;
    }
}
