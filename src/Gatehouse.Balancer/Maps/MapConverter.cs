using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Maps;

/// <summary>
/// `map(FILE[,DEFAULT])` and `map_str`, `map_beg`, `map_end`, `map_sub`, `map_dir`, `map_reg`, `map_int`, `map_ip`:
/// returns the value of the entry whose key matches the input, or DEFAULT, or nothing. An exact (`str`, `int`) match
/// takes the first such entry, `beg` the longest matching prefix and `ip` the longest matching network, as HAProxy's
/// trees do. The others take the first match in entry order.
/// </summary>
internal sealed class MapConverter : SampleConverter
{
    public static readonly string[] Names = ["map", "map_str", "map_beg", "map_end", "map_sub", "map_dir", "map_reg", "map_int", "map_ip"];

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    // Compiled per entry, so an entry that `set map` replaces gets its own regex.
    private static readonly ConditionalWeakTable<MapEntry, Regex?> Regexes = [];

    private readonly MapFile _map;
    private readonly string _kind;
    private readonly string? _default;

    private MapConverter(MapFile map, string kind, string? defaultValue)
    {
        _map = map;
        _kind = kind;
        _default = defaultValue;
    }

    /// <summary>Builds a converter from its name and the text inside its parentheses; null and a problem when invalid.</summary>
    public static MapConverter? Parse(string name, string? arguments, List<string> problems)
    {
        if (string.IsNullOrEmpty(arguments))
        {
            problems.Add($"converter '{name}' expects a map file and an optional default value, such as {name}(/etc/haproxy/hosts.map,fallback)");
            return null;
        }

        if (MapRegistry.Parsing is not { } registry)
        {
            problems.Add($"converter '{name}' can only be used in a configuration file");
            return null;
        }

        var comma = arguments.IndexOf(',', StringComparison.Ordinal);
        var file = comma < 0 ? arguments : arguments[..comma];
        var map = registry.Load(file, problems);
        return map is null ? null : new MapConverter(map, name == "map" ? "str" : name[4..], comma < 0 ? null : arguments[(comma + 1)..]);
    }

    public override string? Convert(string value)
    {
        // As in HAProxy, an input that is not an address fails `map_ip` itself, so the default does not apply.
        if (_kind == "ip" && !IPAddress.TryParse(value, out _))
        {
            return null;
        }

        return Lookup(value) ?? _default;
    }

    private string? Lookup(string input)
    {
        var entries = _map.Entries;
        if (_kind == "ip")
        {
            return LongestNetwork(entries, input);
        }

        if (_kind == "beg")
        {
            return LongestPrefix(entries, input);
        }

        foreach (var entry in entries)
        {
            if (Matches(entry, input))
            {
                return entry.Value;
            }
        }

        return null;
    }

    private bool Matches(MapEntry entry, string input) => _kind switch
    {
        "str" => input == entry.Key,
        "end" => input.EndsWith(entry.Key, StringComparison.Ordinal),
        "sub" => input.Contains(entry.Key, StringComparison.Ordinal),
        "dir" => IsDirectory(input, entry.Key),
        "int" => long.TryParse(input, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && long.TryParse(entry.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key) && number == key,
        _ => RegexFor(entry) is { } regex && IsMatch(regex, input),
    };

    // `dir` matches a whole path segment or a run of segments between slashes, as `-m dir` does.
    private static bool IsDirectory(string input, string key)
    {
        var start = 0;
        while ((start = input.IndexOf(key, start, StringComparison.Ordinal)) >= 0)
        {
            var end = start + key.Length;
            if ((start == 0 || input[start - 1] == '/') && (end == input.Length || input[end] == '/'))
            {
                return true;
            }

            start++;
        }

        return false;
    }

    private static Regex? RegexFor(MapEntry entry) => Regexes.GetValue(entry, static entry =>
    {
        try
        {
            return new Regex(entry.Key, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    });

    private static bool IsMatch(Regex regex, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string? LongestPrefix(MapEntry[] entries, string input)
    {
        MapEntry? best = null;
        foreach (var entry in entries)
        {
            if (input.StartsWith(entry.Key, StringComparison.Ordinal) && entry.Key.Length > (best?.Key.Length ?? -1))
            {
                best = entry;
            }
        }

        return best?.Value;
    }

    private static string? LongestNetwork(MapEntry[] entries, string input)
    {
        if (!IPAddress.TryParse(input, out var address))
        {
            return null;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        string? best = null;
        var bestLength = -1;
        foreach (var entry in entries)
        {
            if (TryNetwork(entry.Key, out var network) && network.Contains(address) && network.PrefixLength > bestLength)
            {
                best = entry.Value;
                bestLength = network.PrefixLength;
            }
        }

        return best;
    }

    private static bool TryNetwork(string key, out IPNetwork network)
    {
        if (IPNetwork.TryParse(key, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(key, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }
}
