using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Rules;

/// <summary>
/// The REGEX REPLACE pair of `replace-header` and `replace-path`. As in HAProxy 2.6, a value that the regex
/// matches anywhere is replaced as a whole by REPLACE, where \0 to \9 insert the match and its groups, so the
/// regex should cover the whole value.
/// </summary>
internal sealed class RegexReplacement
{
    private readonly Regex _regex;
    private readonly LogFormat _replacement;

    private RegexReplacement(Regex regex, LogFormat replacement)
    {
        _regex = regex;
        _replacement = replacement;
    }

    public static RegexReplacement? Parse(string pattern, string replacement, List<string> problems)
    {
        Regex regex;
        try
        {
            // The non-backtracking engine keeps a configured pattern from taking exponential time on a request.
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            problems.Add($"invalid regular expression '{pattern}': {ex.Message}");
            return null;
        }

        var format = LogFormat.Parse(replacement, problems);
        return format is null ? null : new RegexReplacement(regex, format);
    }

    /// <summary>Returns the replaced value, or null when the regex does not match.</summary>
    public string? Replace(string value, SampleContext context)
    {
        var match = _regex.Match(value);
        if (!match.Success)
        {
            return null;
        }

        var template = _replacement.Render(context);
        var builder = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '\\' && i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
            {
                builder.Append(match.Groups[template[i + 1] - '0'].Value);
                i++;
            }
            else
            {
                builder.Append(template[i]);
            }
        }

        return builder.ToString();
    }
}

/// <summary>`http-request replace-header NAME REGEX REPLACE`: rewrites each line of the header that the regex matches.</summary>
internal sealed class ReplaceHeaderRule : HttpRequestRule
{
    public required string HeaderName { get; init; }

    public required RegexReplacement Replacement { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        var headers = context.Http.Request.Headers;
        var lines = headers[HeaderName];
        if (lines.Count == 0)
        {
            return RuleOutcome.Continue;
        }

        headers[HeaderName] = lines.Select(line => Replacement.Replace(line ?? "", context) ?? line).ToArray();
        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request replace-path REGEX REPLACE`: rewrites the path when the regex matches; the query is kept.</summary>
internal sealed class ReplacePathRule : HttpRequestRule
{
    public required RegexReplacement Replacement { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        if (Replacement.Replace(context.Path, context) is { } path)
        {
            context.Path = path;
        }

        return RuleOutcome.Continue;
    }
}

/// <summary>`http-request set-query FMT`: replaces the query string, adding one when the request had none.</summary>
internal sealed class SetQueryRule : HttpRequestRule
{
    public required LogFormat Query { get; init; }

    public override RuleOutcome Execute(SampleContext context, out RuleResponse? response)
    {
        response = null;
        context.Query = Query.Render(context);
        return RuleOutcome.Continue;
    }
}
