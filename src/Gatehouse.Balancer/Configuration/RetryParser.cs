using System.Globalization;

namespace Gatehouse.Balancer.Configuration;

/// <summary>Parses `retries N`, `retry-on KEYWORD...` and `option redispatch [INTERVAL]`.</summary>
internal sealed class RetryParser
{
    private static readonly Dictionary<string, RetryConditions> Keywords = new(StringComparer.Ordinal)
    {
        ["none"] = RetryConditions.None,
        ["conn-failure"] = RetryConditions.ConnectionFailure,
        ["empty-response"] = RetryConditions.EmptyResponse,
        ["junk-response"] = RetryConditions.JunkResponse,
        ["response-timeout"] = RetryConditions.ResponseTimeout,
        ["401"] = RetryConditions.Status401,
        ["403"] = RetryConditions.Status403,
        ["404"] = RetryConditions.Status404,
        ["408"] = RetryConditions.Status408,
        ["425"] = RetryConditions.Status425,
        ["500"] = RetryConditions.Status500,
        ["501"] = RetryConditions.Status501,
        ["502"] = RetryConditions.Status502,
        ["503"] = RetryConditions.Status503,
        ["504"] = RetryConditions.Status504,
        ["all-retryable-errors"] = RetryConditions.AllRetryableErrors,
    };

    private readonly ConfigErrors _errors;

    public RetryParser(ConfigErrors errors)
    {
        _errors = errors;
    }

    public void ParseRetries(ConfigLine line, ProxySettings settings)
    {
        if (line.Count == 2 && int.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            settings.Retries = value;
            return;
        }

        _errors.Add(line.Location, $"'retries' expects one integer of 0 or more, got '{string.Join(' ', line.Words.Skip(1))}'");
    }

    public void ParseRetryOn(ConfigLine line, ProxySettings settings)
    {
        if (line.Count < 2)
        {
            _errors.Add(line.Location, $"'retry-on' expects one or more of {string.Join(", ", Keywords.Keys)}");
            return;
        }

        var conditions = RetryConditions.None;
        foreach (var word in line.Words.Skip(1).Select(word => word.Text))
        {
            if (Keywords.TryGetValue(word, out var condition))
            {
                conditions |= condition;
                continue;
            }

            _errors.Add(line.Location, word is "0rtt-rejected"
                ? $"'retry-on {word}' is not supported yet"
                : $"'retry-on' expects one or more of {string.Join(", ", Keywords.Keys)}, got '{word}'" + Suggestions.DidYouMean(word, Keywords.Keys));
            return;
        }

        if (line.Count > 2 && line.Words.Skip(1).Any(word => word.Text == "none"))
        {
            _errors.Add(line.Location, "'retry-on none' cannot be combined with other keywords");
            return;
        }

        settings.RetryOn = conditions;
    }

    public void ParseRedispatch(ConfigLine line, ProxySettings settings)
    {
        if (line.Count == 2)
        {
            settings.RedispatchInterval = 1;
            return;
        }

        if (line.Count == 3 && int.TryParse(line[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var interval))
        {
            settings.RedispatchInterval = interval;
            return;
        }

        _errors.Add(line.Location, $"'option redispatch' expects an optional integer interval (1 for every retry, -1 for the last), got '{string.Join(' ', line.Words.Skip(2))}'");
    }
}
