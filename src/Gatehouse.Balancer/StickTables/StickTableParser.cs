using System.Globalization;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// Parses `stick-table type T [len N] size N[k|m|g] [expire TIME] [nopurge] [peers NAME] [store TYPE[,TYPE...]]...`.
/// Problems are phrased to follow "FILE:LINE: ".
/// </summary>
internal static class StickTableParser
{
    private static readonly string[] KeyTypes = ["ip", "ipv6", "integer", "string", "binary"];
    private static readonly string[] Options = ["type", "len", "size", "expire", "nopurge", "peers", "store"];

    /// <summary>Parses the words after `stick-table`; returns null and adds to <paramref name="problems"/> when invalid.</summary>
    public static StickTableDefinition? Parse(string tableName, IReadOnlyList<string> args, ConfigLocation location, List<string> problems)
    {
        StickKeyType? keyType = null;
        int? keyLength = null;
        int? size = null;
        TimeSpan? expire = null;
        var noPurge = false;
        string? peers = null;
        var stored = new List<StickStoredType>();
        var before = problems.Count;
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (word)
            {
                case "type":
                    keyType = ParseKeyType(value, problems);
                    i++;
                    break;
                case "len":
                    keyLength = ParseCount("len", value, 1, 65536, problems);
                    i++;
                    break;
                case "size":
                    size = ParseSize(value, problems);
                    i++;
                    break;
                case "expire":
                    expire = ParseExpire(value, problems);
                    i++;
                    break;
                case "nopurge":
                    noPurge = true;
                    break;
                case "peers":
                    peers = ParsePeers(value, problems);
                    i++;
                    break;
                case "store":
                    ParseStore(value, stored, problems);
                    i++;
                    break;
                default:
                    var hint = Suggestions.DidYouMean(word, Options);
                    problems.Add($"'stick-table': unknown argument '{word}'; expected type, len, size, expire, nopurge, peers or store{hint}");
                    break;
            }
        }

        Require(keyType is not null, "'stick-table': missing 'type'; add 'type ip', 'type ipv6', 'type integer', 'type string' or 'type binary'", problems);
        Require(size is not null, "'stick-table': missing 'size'; add a maximum number of entries, such as 'size 100k'", problems);
        Require(keyLength is null || keyType is StickKeyType.String or StickKeyType.Binary or null,
            "'stick-table': 'len' applies only to 'type string' and 'type binary'", problems);
        if (problems.Count > before)
        {
            return null;
        }

        return new StickTableDefinition(
            tableName, keyType!.Value, keyLength ?? StickTableDefinition.DefaultKeyLength, size!.Value, expire, noPurge, stored, location)
        {
            Peers = peers,
        };
    }

    private static string? ParsePeers(string? value, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add("'stick-table peers' expects the name of a 'peers' section, such as 'peers mypeers'");
            return null;
        }

        return value;
    }

    private static void Require(bool holds, string message, List<string> problems)
    {
        if (!holds)
        {
            problems.Add(message);
        }
    }

    private static StickKeyType? ParseKeyType(string? value, List<string> problems)
    {
        var index = value is null ? -1 : Array.IndexOf(KeyTypes, value);
        if (index < 0)
        {
            var hint = value is null ? "" : Suggestions.DidYouMean(value, KeyTypes);
            problems.Add($"'stick-table type' expects ip, ipv6, integer, string or binary, got '{value}'{hint}");
            return null;
        }

        return (StickKeyType)index;
    }

    private static int? ParseCount(string option, string? value, int min, int max, List<string> problems)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= min && count <= max)
        {
            return count;
        }

        problems.Add($"'stick-table {option}' expects an integer from {min} to {max}, got '{value}'");
        return null;
    }

    // HAProxy sizes use binary multiples: 1k is 1024 entries and 1m is 1048576.
    private static int? ParseSize(string? value, List<string> problems)
    {
        var text = value ?? "";
        var multiplier = text.Length == 0 ? 1L : char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number > 0 && number * multiplier <= int.MaxValue)
        {
            return (int)(number * multiplier);
        }

        problems.Add($"'stick-table size' expects a positive number of entries with an optional k, m or g suffix, such as 100k, got '{value}'");
        return null;
    }

    private static TimeSpan? ParseExpire(string? value, List<string> problems)
    {
        if (value is not null && TimeValue.TryParse(value, out var expire) && expire > TimeSpan.Zero && expire.TotalMilliseconds <= int.MaxValue)
        {
            return expire;
        }

        problems.Add($"'stick-table expire' expects {TimeValue.Expected}, got '{value}'");
        return null;
    }

    private static void ParseStore(string? value, List<StickStoredType> stored, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add("'stick-table store' expects a comma-separated list of data types, such as 'store http_req_rate(10s),gpc0'");
            return;
        }

        foreach (var item in SplitTopLevel(value))
        {
            if (ParseStoredType(item, problems) is not { } type)
            {
                continue;
            }

            if (stored.Any(existing => existing.Type == type.Type))
            {
                problems.Add($"'stick-table store': data type '{type.Type.Name()}' is stored twice");
                continue;
            }

            stored.Add(type);
        }
    }

    private static StickStoredType? ParseStoredType(string item, List<string> problems)
    {
        var paren = item.IndexOf('(', StringComparison.Ordinal);
        var name = paren < 0 ? item : item[..paren];
        if (!StickDataTypes.TryParse(name, out var type))
        {
            var hint = Suggestions.DidYouMean(name, StickDataTypes.Names);
            problems.Add($"'stick-table store': unknown data type '{name}'{hint}");
            return null;
        }

        var isRate = type.Kind() == StickDataKind.Rate;
        if (paren < 0)
        {
            Require(!isRate, $"'stick-table store': '{name}' expects a period, such as '{name}(10s)'", problems);
            return isRate ? null : new StickStoredType(type, 0);
        }

        if (!isRate)
        {
            problems.Add($"'stick-table store': '{name}' takes no period, got '{item}'");
            return null;
        }

        var period = item[(paren + 1)..].TrimEnd(')');
        if (!item.EndsWith(')') || !TimeValue.TryParse(period, out var span) || span.TotalMilliseconds < 1 || span.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"'stick-table store': '{name}' expects a period of at least 1ms in parentheses, such as '{name}(10s)', got '{item}'");
            return null;
        }

        return new StickStoredType(type, (long)span.TotalMilliseconds);
    }

    private static IEnumerable<string> SplitTopLevel(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            depth += value[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (value[i] == ',' && depth == 0)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }
}
