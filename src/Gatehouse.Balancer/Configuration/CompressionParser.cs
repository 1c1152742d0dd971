namespace Gatehouse.Balancer.Configuration;

/// <summary>The content codings `compression algo` accepts; names as HAProxy writes them.</summary>
public enum CompressionAlgorithm
{
    /// <summary>No coding; HAProxy offers it for tests, and the response is sent as is.</summary>
    Identity,

    Gzip,

    /// <summary>"deflate": zlib-wrapped deflate (RFC 1950), as HTTP's deflate coding is defined.</summary>
    Deflate,

    /// <summary>"raw-deflate": deflate without the zlib wrapper, sent as Content-Encoding deflate.</summary>
    RawDeflate,
}

/// <summary>
/// `compression algo ...`, `compression type ...` and `compression offload`. An empty <see cref="Types"/>
/// compresses every content type; each type matches as a case-insensitive prefix of Content-Type, as in HAProxy.
/// </summary>
public sealed record CompressionSettings(IReadOnlyList<CompressionAlgorithm> Algorithms, IReadOnlyList<string> Types, bool Offload);

/// <summary>Parses the `compression` lines of defaults, frontend, backend and listen sections.</summary>
internal static class CompressionParser
{
    private static readonly string[] Keywords = ["algo", "type", "offload"];

    private static readonly Dictionary<string, CompressionAlgorithm> Names = new(StringComparer.Ordinal)
    {
        ["identity"] = CompressionAlgorithm.Identity,
        ["gzip"] = CompressionAlgorithm.Gzip,
        ["deflate"] = CompressionAlgorithm.Deflate,
        ["raw-deflate"] = CompressionAlgorithm.RawDeflate,
    };

    /// <summary>Returns the settings with this line added to <paramref name="current"/>, or null after reporting a problem.</summary>
    public static CompressionSettings? Parse(ConfigLine line, CompressionSettings? current, ConfigErrors errors)
    {
        var settings = current ?? new CompressionSettings([], [], false);
        var keyword = line.Count > 1 ? line[1] : "";
        switch (keyword)
        {
            case "algo" or "type" when line.Count < 3:
                errors.Add(line.Location, $"'compression {keyword}' expects at least one value");
                return null;
            case "algo":
                var algorithms = new List<CompressionAlgorithm>(settings.Algorithms);
                for (var i = 2; i < line.Count; i++)
                {
                    if (!Names.TryGetValue(line[i], out var algorithm))
                    {
                        errors.Add(line.Location, $"'compression algo' has unknown algorithm '{line[i]}'; expected one of {string.Join(", ", Names.Keys)}"
                            + Suggestions.DidYouMean(line[i], Names.Keys));
                        return null;
                    }

                    algorithms.Add(algorithm);
                }

                return settings with { Algorithms = algorithms };
            case "type":
                return settings with { Types = [.. settings.Types, .. line.Words.Skip(2).Select(word => word.Text)] };
            case "offload" when line.Count == 2:
                return settings with { Offload = true };
            case "offload":
                errors.Add(line.Location, $"'compression offload' takes no arguments, got '{line[2]}'");
                return null;
            default:
                errors.Add(line.Location, keyword is "algo-req" or "algo-res" or "type-req" or "type-res" or "direction" or "minsize-req" or "minsize-res"
                    ? $"'compression {keyword}' is not supported yet"
                    : $"'compression' expects algo, type or offload, got '{keyword}'{Suggestions.DidYouMean(keyword, Keywords)}");
                return null;
        }
    }
}
