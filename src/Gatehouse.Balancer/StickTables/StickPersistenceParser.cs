using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.StickTables;

/// <summary>
/// Parses `stick on|match|store-request|store-response PATTERN [table T] [if|unless COND]`. Problems follow "FILE:LINE: ".
/// </summary>
internal static class StickPersistenceParser
{
    private static readonly string[] Kinds = ["on", "match", "store-request", "store-response"];

    // Fetches that read the response, which only `stick store-response` can see.
    private static readonly HashSet<string> ResponseFetches = new(StringComparer.Ordinal)
    {
        "res.cook", "scook", "res.hdr", "shdr", "status", "capture.res.hdr",
    };

    public static StickPersistenceRule? Parse(ConfigLine line, AclScope scope, string baseDirectory, List<string> problems)
    {
        var kindName = line.Count > 1 ? line[1] : "";
        if (!Kinds.Contains(kindName))
        {
            problems.Add($"'stick' expects on, match, store-request or store-response, got '{kindName}'{Suggestions.DidYouMean(kindName, Kinds)}");
            return null;
        }

        var keyword = $"stick {kindName}";
        if (!Rules.HttpRuleParser.TrySplitCondition(line, 2, keyword, scope, baseDirectory, problems, out var args, out var condition))
        {
            return null;
        }

        if (args.Count is not (1 or 3) || (args.Count == 3 && args[1] != "table"))
        {
            problems.Add($"'{keyword}' expects a sample expression and an optional 'table NAME', such as '{keyword} src table st_src'");
            return null;
        }

        var tableName = args.Count == 3 ? args[2] : null;
        StickTableReferences.Record(tableName);
        var key = SampleExpression.Parse(args[0], problems);
        if (key is null)
        {
            return null;
        }

        if (kindName != "store-response" && ResponseFetches.Contains(key.Definition.Name))
        {
            problems.Add($"'{keyword}' cannot read '{key.Definition.Name}', which is only known once the response arrives; "
                + "use it in 'stick store-response' and read the request with 'stick match', such as req.cook(NAME)");
            return null;
        }

        var kind = kindName switch
        {
            "on" => StickPersistenceKind.On,
            "match" => StickPersistenceKind.Match,
            "store-request" => StickPersistenceKind.StoreRequest,
            _ => StickPersistenceKind.StoreResponse,
        };
        return new StickPersistenceRule { Kind = kind, Key = key, TableName = tableName, Condition = condition, Location = line.Location };
    }
}
