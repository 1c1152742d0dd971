using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Acls;

/// <summary>
/// Parses `if|unless TERMS`: terms are ACL names or anonymous `{ fetch [flags] patterns }` ACLs,
/// each optionally prefixed by '!'; adjacent terms are ANDed and `||` or `or` separates alternatives.
/// </summary>
internal static class ConditionParser
{
    public static bool IsConditionKeyword(ConfigWord word) => !word.Quoted && word.Text is "if" or "unless";

    /// <param name="words">The line's words starting at `if` or `unless`.</param>
    public static Condition? Parse(
        IReadOnlyList<ConfigWord> words, AclScope scope, ConfigLocation location, string keyword, string baseDirectory, List<string> problems)
    {
        var unless = words[0].Text == "unless";
        var groups = new List<AclTerm[]>();
        var current = new List<AclTerm>();
        var i = 1;
        while (i < words.Count)
        {
            var word = words[i].Text;
            if (word is "||" or "or")
            {
                if (!TryCloseGroup(current, groups, words[0].Text, problems))
                {
                    return null;
                }

                i++;
                continue;
            }

            var negated = false;
            if (word == "!")
            {
                negated = true;
                i++;
                word = i < words.Count ? words[i].Text : "";
            }
            else if (word.Length > 1 && word[0] == '!')
            {
                negated = true;
                word = word[1..];
            }

            var acl = word == "{"
                ? ParseAnonymous(words, ref i, baseDirectory, problems)
                : ParseName(word, ref i, scope, location, keyword, problems);
            if (acl is null)
            {
                return null;
            }

            current.Add(new AclTerm(acl, negated));
        }

        return TryCloseGroup(current, groups, words[0].Text, problems) ? new Condition([.. groups], unless) : null;
    }

    private static Acl? ParseName(string word, ref int i, AclScope scope, ConfigLocation location, string keyword, List<string> problems)
    {
        if (word.Length == 0 || word == "}")
        {
            problems.Add($"expects an acl name or '{{ ... }}' in the condition, got '{word}'");
            return null;
        }

        i++;
        return scope.Reference(word, location, keyword);
    }

    private static Acl? ParseAnonymous(IReadOnlyList<ConfigWord> words, ref int i, string baseDirectory, List<string> problems)
    {
        var start = i + 1;
        var end = start;
        while (end < words.Count && !(words[end].Text == "}" && !words[end].Quoted))
        {
            end++;
        }

        if (end >= words.Count)
        {
            problems.Add("anonymous acl '{' has no closing '}'; braces must be separate words");
            return null;
        }

        var inner = words.Skip(start).Take(end - start).Select(word => word.Text).ToList();
        var entry = AclParser.Parse(inner, baseDirectory, problems);
        i = end + 1;
        if (entry is null)
        {
            return null;
        }

        var acl = new Acl("{ " + string.Join(' ', inner) + " }");
        acl.Add(entry);
        return acl;
    }

    private static bool TryCloseGroup(List<AclTerm> current, List<AclTerm[]> groups, string conditionKeyword, List<string> problems)
    {
        if (current.Count == 0)
        {
            problems.Add($"'{conditionKeyword}' expects an acl name before and after each '||'");
            return false;
        }

        groups.Add([.. current]);
        current.Clear();
        return true;
    }
}
