namespace Gatehouse.Balancer.Acls;

/// <summary>A sample fetch followed by converters, such as `hdr(host),lower`.</summary>
internal sealed class SampleExpression
{
    private static readonly string[] ConverterNames = ["lower", "upper", .. FieldConverter.Names, .. JwtQueryConverter.Names, .. Maps.MapConverter.Names];

    private readonly SampleConverter[] _converters;

    private SampleExpression(string text, FetchDefinition definition, SampleFetch fetch, SampleConverter[] converters)
    {
        Text = text;
        Definition = definition;
        Fetch = fetch;
        _converters = converters;
    }

    public string Text { get; }

    public FetchDefinition Definition { get; }

    public SampleFetch Fetch { get; }

    /// <summary>Parses an expression; returns null and adds to <paramref name="problems"/> when it is invalid.</summary>
    public static SampleExpression? Parse(string text, List<string> problems)
    {
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        string name;
        string? argument = null;
        string rest;
        if (paren >= 0 && (comma < 0 || paren < comma))
        {
            var close = text.IndexOf(')', paren);
            if (close < 0)
            {
                problems.Add($"missing ')' in sample fetch '{text}'");
                return null;
            }

            name = text[..paren];
            argument = text[(paren + 1)..close];
            rest = text[(close + 1)..];
        }
        else
        {
            name = comma < 0 ? text : text[..comma];
            rest = comma < 0 ? "" : text[comma..];
        }

        if (StickTables.StickFetchCatalog.Contains(name))
        {
            return ParseStickFetch(text, name, argument, rest, problems);
        }

        if (!FetchCatalog.ByName.TryGetValue(name, out var definition))
        {
            var hint = Configuration.Suggestions.DidYouMean(name, FetchCatalog.ByName.Keys);
            problems.Add($"unknown sample fetch '{name}'{hint}");
            return null;
        }

        if (!TryCheckArgument(definition, argument, problems) || !TryParseConverters(rest, text, problems, out var converters))
        {
            return null;
        }

        return new SampleExpression(text, definition, definition.Create(argument ?? ""), converters);
    }

    /// <summary>Builds a stick-counter fetch, whose arguments may hold a comma, such as `sc_http_req_rate(0,st_src)`.</summary>
    private static SampleExpression? ParseStickFetch(string text, string name, string? argument, string rest, List<string> problems)
    {
        if (StickTables.StickFetchCatalog.Create(name, argument, problems) is not { } fetch
            || !TryParseConverters(rest, text, problems, out var converters))
        {
            return null;
        }

        StickTables.StickTableReferences.Record(fetch switch
        {
            StickTables.StickFetch stick => stick.TableName,
            StickTables.TableSizeFetch size => size.TableName,
            _ => null,
        });
        var definition = new FetchDefinition(name, argument is not null, StickTables.StickFetchCatalog.DefaultMatch(name), _ => fetch);
        return new SampleExpression(text, definition, fetch, converters);
    }

    /// <summary>Returns the converted value as text, or null when the fetch has no value.</summary>
    public string? FetchString(SampleContext context)
    {
        var value = Fetch.FetchString(context);
        foreach (var converter in _converters)
        {
            if (value is null)
            {
                return null;
            }

            value = converter.Convert(value);
        }

        return value;
    }

    /// <summary>Wraps <paramref name="matcher"/> so that it receives values after the converters ran.</summary>
    public PatternMatcher Wrap(PatternMatcher matcher)
    {
        for (var i = _converters.Length - 1; i >= 0; i--)
        {
            matcher = _converters[i].Wrap(matcher);
        }

        return matcher;
    }

    private static bool TryCheckArgument(FetchDefinition definition, string? argument, List<string> problems)
    {
        if (definition.TakesArgument && string.IsNullOrEmpty(argument))
        {
            problems.Add($"sample fetch '{definition.Name}' expects a name argument, such as {definition.Name}(x-example)");
            return false;
        }

        if (definition.TakesArgument && argument!.Contains(',', StringComparison.Ordinal))
        {
            problems.Add($"sample fetch '{definition.Name}({argument})' has a second argument; only the name is supported yet");
            return false;
        }

        if (!definition.TakesArgument && !string.IsNullOrEmpty(argument))
        {
            problems.Add($"sample fetch '{definition.Name}' takes no argument, got '{argument}'");
            return false;
        }

        return true;
    }

    private static bool TryParseConverters(string rest, string text, List<string> problems, out SampleConverter[] converters)
    {
        converters = [];
        if (rest.Length == 0)
        {
            return true;
        }

        if (rest[0] != ',')
        {
            problems.Add($"unexpected '{rest}' after the sample fetch in '{text}'; converters follow a comma, such as ',lower'");
            return false;
        }

        var parsed = new List<SampleConverter>();
        foreach (var item in SplitConverters(rest[1..]))
        {
            var paren = item.IndexOf('(', StringComparison.Ordinal);
            var name = paren < 0 ? item : item[..paren];
            if (Maps.MapConverter.Names.Contains(name))
            {
                var arguments = paren < 0 || !item.EndsWith(')') ? null : item[(paren + 1)..^1];
                if (Maps.MapConverter.Parse(name, arguments, problems) is not { } map)
                {
                    return false;
                }

                parsed.Add(map);
            }
            else if (name is "lower" or "upper" && paren < 0)
            {
                parsed.Add(new CaseConverter(name == "upper"));
            }
            else if (FieldConverter.Names.Contains(name) || JwtQueryConverter.Names.Contains(name))
            {
                var arguments = paren < 0 || !item.EndsWith(')') ? null : item[(paren + 1)..^1];
                var converter = FieldConverter.Names.Contains(name)
                    ? FieldConverter.Parse(name, arguments, problems)
                    : JwtQueryConverter.Parse(name, arguments, problems);
                if (converter is null)
                {
                    return false;
                }

                parsed.Add(converter);
            }
            else
            {
                var hint = Configuration.Suggestions.DidYouMean(name, ConverterNames);
                problems.Add($"unknown converter '{name}' in '{text}'; supported converters are {string.Join(", ", ConverterNames)}{hint}");
                return false;
            }
        }

        converters = [.. parsed];
        return true;
    }

    /// <summary>Splits "a,b(x,y),c" at the commas outside parentheses.</summary>
    private static List<string> SplitConverters(string text)
    {
        var items = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                items.Add(text[start..i]);
                start = i + 1;
            }
        }

        items.Add(text[start..]);
        return items;
    }
}
