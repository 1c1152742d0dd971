using System.Globalization;
using Gatehouse.Balancer.LoadBalancing;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Reads `balance ALGORITHM [ARGUMENTS]` and `hash-type METHOD [FUNCTION]`.</summary>
internal sealed class BalanceParser
{
    private readonly ConfigErrors _errors;

    public BalanceParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void ParseBalance(ConfigLine line, ProxySettings settings)
    {
        var name = line.Count > 1 ? line[1] : "";
        if (line.Count == 2 && KeywordCatalog.Balances.TryGetValue(name, out var algorithm))
        {
            settings.Balance = algorithm;
            return;
        }

        if (name == "uri")
        {
            ParseUri(line, settings);
            return;
        }

        if (name == "url_param")
        {
            ParseUrlParameter(line, settings);
            return;
        }

        if (name.StartsWith("hdr(", StringComparison.Ordinal))
        {
            ParseHeader(line, settings);
            return;
        }

        var baseName = name.Split('(')[0];
        _errors.Add(line.Location, KeywordCatalog.NotSupportedBalances.Contains(baseName) || (line.Count > 2 && KeywordCatalog.Balances.ContainsKey(name))
            ? $"'balance {string.Join(' ', line.Words.Skip(1))}' is not supported yet"
            : $"'balance' expects one of {string.Join(", ", KeywordCatalog.BalanceNames)}, got '{name}'"
              + Suggestions.DidYouMean(name, KeywordCatalog.BalanceNames));
    }

    public void ParseHashType(ConfigLine line, ProxySettings settings)
    {
        var method = line.Count > 1 ? line[1] : "";
        if (method is not ("map-based" or "consistent") || line.Count > 3)
        {
            _errors.Add(line.Location, $"'hash-type' expects 'map-based' or 'consistent', optionally followed by 'sdbm' or 'djb2', got '{string.Join(' ', line.Words.Skip(1))}'");
            return;
        }

        var function = line.Count == 3 ? line[2] : "sdbm";
        if (function is not ("sdbm" or "djb2"))
        {
            _errors.Add(line.Location, function is "wt6" or "crc32" or "none" || function.StartsWith("avalanche", StringComparison.Ordinal)
                ? $"hash function '{function}' is not supported yet; use 'sdbm' or 'djb2'"
                : $"unknown hash function '{function}'; expected 'sdbm' or 'djb2'");
            return;
        }

        settings.ConsistentHash = method == "consistent";
        settings.HashFunction = function == "djb2" ? HashFunction.Djb2 : HashFunction.Sdbm;
    }

    private void ParseUri(ConfigLine line, ProxySettings settings)
    {
        var (whole, length, depth) = (false, 0, 0);
        for (var i = 2; i < line.Count; i++)
        {
            var option = line[i];
            if (option == "whole")
            {
                whole = true;
            }
            else if (option is "len" or "depth")
            {
                if (i + 1 >= line.Count || !int.TryParse(line[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
                {
                    _errors.Add(line.Location, $"'balance uri' expects a positive integer after '{option}'");
                    return;
                }

                (length, depth) = option == "len" ? (value, depth) : (length, value);
                i++;
            }
            else
            {
                _errors.Add(line.Location, option == "path-only"
                    ? "'balance uri' option 'path-only' is not supported yet"
                    : $"unknown 'balance uri' option '{option}'; expected 'whole', 'len N' or 'depth N'");
                return;
            }
        }

        settings.Balance = BalanceAlgorithm.Uri;
        settings.UriHash = new UriHashOptions(whole, length, depth);
    }

    private void ParseUrlParameter(ConfigLine line, ProxySettings settings)
    {
        if (line.Count != 3)
        {
            _errors.Add(line.Location, line.Count > 3 && line[3] == "check_post"
                ? "'balance url_param' option 'check_post' is not supported yet"
                : "'balance url_param' expects one parameter name");
            return;
        }

        settings.Balance = BalanceAlgorithm.UrlParameter;
        settings.BalanceKey = line[2];
    }

    private void ParseHeader(ConfigLine line, ProxySettings settings)
    {
        var word = line[1];
        var header = word.EndsWith(')') ? word[4..^1] : "";
        if (header.Length == 0)
        {
            _errors.Add(line.Location, $"'balance hdr' expects a header name in parentheses, such as hdr(host), got '{word}'");
            return;
        }

        if (line.Count > 2)
        {
            _errors.Add(line.Location, line[2] == "use_domain_only"
                ? "'balance hdr' option 'use_domain_only' is not supported yet"
                : $"'balance {word}' takes no further arguments, got '{line[2]}'");
            return;
        }

        settings.Balance = BalanceAlgorithm.Header;
        settings.BalanceKey = header;
    }
}
