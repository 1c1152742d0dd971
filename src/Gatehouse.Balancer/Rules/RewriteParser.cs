namespace Gatehouse.Balancer.Rules;

/// <summary>Parses the arguments of `replace-header`, `replace-path` and `set-query`; the condition is already removed.</summary>
internal static class RewriteParser
{
    public static ReplaceHeaderRule? ParseReplaceHeader(List<string> args, List<string> problems)
    {
        if (args.Count != 3)
        {
            problems.Add($"expects a header name, a regex and a replacement, got {args.Count} arguments");
            return null;
        }

        var replacement = RegexReplacement.Parse(args[1], args[2], problems);
        return replacement is null ? null : new ReplaceHeaderRule { HeaderName = args[0], Replacement = replacement };
    }

    public static ReplacePathRule? ParseReplacePath(List<string> args, List<string> problems)
    {
        if (args.Count != 2)
        {
            problems.Add($"expects a regex and a replacement, got {args.Count} arguments");
            return null;
        }

        var replacement = RegexReplacement.Parse(args[0], args[1], problems);
        return replacement is null ? null : new ReplacePathRule { Replacement = replacement };
    }

    public static SetQueryRule? ParseSetQuery(List<string> args, List<string> problems)
    {
        if (args.Count != 1 || args[0].Length == 0)
        {
            problems.Add("expects one non-empty query value, such as x=1&%[query]");
            return null;
        }

        var query = LogFormat.Parse(args[0], problems);
        return query is null ? null : new SetQueryRule { Query = query };
    }
}
