namespace Gatehouse.Balancer.Acls;

/// <summary>
/// Compiles the words after `acl NAME` (or inside `{ }`): a sample expression, flags (`-i`, `-m METHOD`,
/// `-f FILE`, `--`) and patterns.
/// </summary>
internal static class AclParser
{
    /// <param name="baseDirectory">Folder that relative `-f` paths are resolved against: the configuration file's folder.</param>
    public static AclEntry? Parse(IReadOnlyList<string> words, string baseDirectory, List<string> problems)
    {
        if (words.Count == 0)
        {
            problems.Add("expects a sample fetch and patterns, such as 'path_beg /api/'");
            return null;
        }

        var expression = SampleExpression.Parse(words[0], problems);
        if (expression is null)
        {
            return null;
        }

        var method = expression.Definition.DefaultMatch;
        var ignoreCase = false;
        var patterns = new List<string>();
        var index = 1;
        if (!TryParseFlags(words, ref index, ref method, ref ignoreCase, baseDirectory, patterns, problems))
        {
            return null;
        }

        patterns.AddRange(words.Skip(index));
        var matcher = CreateMatcher(expression.Text, method, patterns, ignoreCase, problems);
        return matcher is null ? null : new AclEntry(expression, matcher);
    }

    private static bool TryParseFlags(
        IReadOnlyList<string> words,
        ref int index,
        ref MatchMethod method,
        ref bool ignoreCase,
        string baseDirectory,
        List<string> patterns,
        List<string> problems)
    {
        while (index < words.Count && words[index].Length > 1 && words[index][0] == '-')
        {
            var flag = words[index];
            if (flag == "--")
            {
                index++;
                return true;
            }

            if (flag == "-i")
            {
                ignoreCase = true;
                index++;
                continue;
            }

            if (flag is not ("-m" or "-f"))
            {
                var supportedLater = flag is "-n" or "-u" or "-M";
                problems.Add(supportedLater
                    ? $"flag '{flag}' is not supported yet"
                    : $"unknown flag '{flag}'; flags are -i, -m METHOD, -f FILE, and -- ends them when a pattern starts with '-'");
                return false;
            }

            if (index + 1 >= words.Count)
            {
                problems.Add($"flag '{flag}' expects a value");
                return false;
            }

            var value = words[index + 1];
            index += 2;
            if (flag == "-f")
            {
                if (!TryReadPatternFile(value, baseDirectory, patterns, problems))
                {
                    return false;
                }
            }
            else if (!TryParseMethod(value, ref method, problems))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseMethod(string name, ref MatchMethod method, List<string> problems)
    {
        if (MatchMethods.ByName.TryGetValue(name, out var parsed))
        {
            method = parsed;
            return true;
        }

        problems.Add(MatchMethods.NotSupported.Contains(name)
            ? $"match method '-m {name}' is not supported yet"
            : $"unknown match method '-m {name}'; expected str, beg, end, sub, dir, reg, found, int, ip or bool"
              + Configuration.Suggestions.DidYouMean(name, MatchMethods.ByName.Keys));
        return false;
    }

    private static bool TryReadPatternFile(string file, string baseDirectory, List<string> patterns, List<string> problems)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(baseDirectory, file);
        if (!File.Exists(path))
        {
            problems.Add($"pattern file '{file}' not found (looked for {Path.GetFullPath(path)})");
            return false;
        }

        foreach (var line in File.ReadLines(path))
        {
            var pattern = line.Trim();
            if (pattern.Length > 0 && pattern[0] != '#')
            {
                patterns.Add(pattern);
            }
        }

        return true;
    }

    private static PatternMatcher? CreateMatcher(
        string expression, MatchMethod method, List<string> patterns, bool ignoreCase, List<string> problems)
    {
        if (method is MatchMethod.Found or MatchMethod.Boolean)
        {
            if (patterns.Count > 0)
            {
                problems.Add($"'{expression}' with match method {Name(method)} takes no patterns, got '{patterns[0]}'");
                return null;
            }

            return method == MatchMethod.Found ? FoundMatcher.Instance : BooleanMatcher.Instance;
        }

        if (patterns.Count == 0)
        {
            problems.Add($"expects at least one pattern after '{expression}', or '-m found' to test that a value exists");
            return null;
        }

        var before = problems.Count;
        PatternMatcher matcher = method switch
        {
            MatchMethod.Regex => RegexMatcher.Create(patterns, ignoreCase, problems),
            MatchMethod.Integer => IntegerMatcher.Create(patterns, problems),
            MatchMethod.Address => AddressMatcher.Create(patterns, problems),
            _ => new StringMatcher(method, patterns, ignoreCase),
        };
        return problems.Count == before ? matcher : null;
    }

    private static string Name(MatchMethod method) => MatchMethods.ByName.First(pair => pair.Value == method).Key;
}
