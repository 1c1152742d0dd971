namespace Gatehouse.Balancer.Acls;

/// <summary>The `-m` match methods that ACLs support.</summary>
internal enum MatchMethod
{
    String,
    Begin,
    End,
    Substring,

    /// <summary>`-m dir`: the pattern as whole slash-delimited path segments.</summary>
    Directory,
    Regex,
    Found,
    Integer,
    Address,
    Boolean,
}

internal static class MatchMethods
{
    public static readonly IReadOnlyDictionary<string, MatchMethod> ByName = new Dictionary<string, MatchMethod>
    {
        ["str"] = MatchMethod.String,
        ["beg"] = MatchMethod.Begin,
        ["end"] = MatchMethod.End,
        ["sub"] = MatchMethod.Substring,
        ["dir"] = MatchMethod.Directory,
        ["reg"] = MatchMethod.Regex,
        ["found"] = MatchMethod.Found,
        ["int"] = MatchMethod.Integer,
        ["ip"] = MatchMethod.Address,
        ["bool"] = MatchMethod.Boolean,
    };

    /// <summary>HAProxy match methods that exist but are not implemented here.</summary>
    public static readonly IReadOnlySet<string> NotSupported = new HashSet<string> { "len", "dom", "bin" };
}
